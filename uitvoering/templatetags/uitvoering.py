"""The language school's navigation item."""

from django import template

from municipalities.models import Organisation

from ..models import school_ids

register = template.Library()


@register.inclusion_tag("uitvoering/_nav.html", takes_context=True)
def taalschool_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and Organisation.objects.filter(pk__in=school_ids(user)).exists()
    )
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show": show, "url_name": url_name}
