from django import template

from deadlines.selectors import unread_count

register = template.Library()


@register.inclusion_tag("deadlines/_nav.html", takes_context=True)
def deadlines_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "unread": unread_count(user) if user is not None else "",
        "current": getattr(getattr(request, "resolver_match", None), "url_name", ""),
    }
