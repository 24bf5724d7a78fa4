"""Template tags of the privacy officer's pages: the navigation item."""

from django import template

from ..selectors import is_privacy_officer_of_request

register = template.Library()


@register.inclusion_tag("privacy/_nav.html", takes_context=True)
def privacy_nav(context):
    """The inzage page's <li>, for privacy officers only."""
    request = context.get("request")
    show = request is not None and is_privacy_officer_of_request(request)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": show, "url_name": url_name}
