from django.conf import settings

from shanglian.ui.navigation import navigation_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"DEMO": settings.DEMO}
    from shanglian.notifications.selectors import unread_count

    return {"DEMO": settings.DEMO, "navigation": navigation_for(user, request.path),
            "unread_notifications": unread_count(user)}
