from django import template

from shanglian.ui.navigation import h5_tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def h5_tabs(context):
    """The H5 tab bar for the page's user, the tab its view named (`tab` in the context) active."""
    return h5_tabs_for(context["request"].user, context.get("tab"))
