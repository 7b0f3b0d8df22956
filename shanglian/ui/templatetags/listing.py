from django import template

register = template.Library()


@register.simple_tag
def page_url(querystring, number):
    return f"?{querystring}&page={number}" if querystring else f"?page={number}"
