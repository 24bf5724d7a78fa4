from django import template

from deadlines.models import Kind
from deadlines.selectors import unread_count

register = template.Library()


@register.filter
def kind_label(kind):
    """What a deadline is, from its kind's value (a case-list annotation carries only the value)."""
    try:
        return Kind(kind).label
    except ValueError:
        return ""


@register.inclusion_tag("deadlines/_nav.html", takes_context=True)
def deadlines_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "unread": unread_count(user) if user is not None else "",
        "current": getattr(getattr(request, "resolver_match", None), "url_name", ""),
    }
