"""The language school's navigation item."""

from django import template

from municipalities.models import Organisation, Role
from municipalities.selectors import request_holds

register = template.Library()


@register.inclusion_tag("uitvoering/_nav.html", takes_context=True)
def taalschool_nav(context):
    """For staff of a course provider (the menu's twin of models.school_ids, from the request's
    memberships)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and request_holds(request, {Role.TAALSCHOOL}, kind=Organisation.Kind.AANBIEDER)
    )
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": show, "url_name": url_name}
