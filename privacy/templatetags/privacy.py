"""Template tags of the privacy officer's pages: the navigation item."""

from django import template

from ..selectors import is_privacy_officer

register = template.Library()


@register.inclusion_tag("privacy/_nav.html", takes_context=True)
def privacy_nav(context):
    """The inzage page's <li>, for privacy officers only. One query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": user is not None and is_privacy_officer(user), "url_name": url_name}
