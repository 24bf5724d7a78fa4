"""Template tags of the privacy officer's pages: the navigation item."""

from django import template

from municipalities.models import Role
from municipalities.selectors import request_holds

register = template.Library()


@register.inclusion_tag("privacy/_nav.html", takes_context=True)
def privacy_nav(context):
    """The inzage page's <li>, for privacy officers only (the menu's twin of
    selectors.is_privacy_officer, from the request's memberships)."""
    request = context.get("request")
    show = request is not None and request_holds(request, {Role.PRIVACY_OFFICER})
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": show, "url_name": url_name}
