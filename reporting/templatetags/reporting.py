"""Template tags of Stuurinformatie: its navigation item."""

from django import template

from municipalities.models import Organisation
from municipalities.selectors import request_holds

from ..selectors import FIGURE_ROLES

register = template.Library()


@register.inclusion_tag("reporting/_nav.html", takes_context=True)
def reporting_nav(context):
    """Stuurinformatie's <li>, for team leads and beheerders of a municipality (the menu's
    twin of selectors.may_see_figures, from the request's memberships)."""
    request = context.get("request")
    show = request is not None and request_holds(
        request, FIGURE_ROLES, kind=Organisation.Kind.GEMEENTE
    )
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show_figures": show, "url_name": url_name}
