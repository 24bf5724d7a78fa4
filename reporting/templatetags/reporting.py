"""Template tags of Stuurinformatie: its navigation item."""

from django import template

from ..selectors import shows_figures

register = template.Library()


@register.inclusion_tag("reporting/_nav.html", takes_context=True)
def reporting_nav(context):
    """Stuurinformatie's <li>, for team leads and beheerders of a municipality."""
    request = context.get("request")
    show = request is not None and shows_figures(request)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show_figures": show, "url_name": url_name}
