"""The ground-floor UI kit every app builds its pages from: the list page, 待办, panels, navigation, figures."""
