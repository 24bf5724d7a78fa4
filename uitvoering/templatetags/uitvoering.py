"""The language school's navigation item."""

from django import template

from ..selectors import works_for_a_school

register = template.Library()


@register.inclusion_tag("uitvoering/_nav.html", takes_context=True)
def taalschool_nav(context):
    """For staff of a course provider."""
    request = context.get("request")
    show = request is not None and works_for_a_school(request)
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": show, "url_name": url_name}
