"""Template tags of Stuurinformatie: its navigation item."""

from django import template

from ..selectors import may_see_figures

register = template.Library()


@register.inclusion_tag("reporting/_nav.html", takes_context=True)
def reporting_nav(context):
    """Stuurinformatie's <li>, for team leads and beheerders of a municipality. One query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show_figures": user is not None and may_see_figures(user), "url_name": url_name}
