"""Template tags of the WerkSaam bridge: the two navigation items and server-rendered charts."""

from django import template

from municipalities.models import Membership, Organisation, Role

register = template.Library()


@register.inclusion_tag("werksaam_bridge/_nav.html", takes_context=True)
def werksaam_nav(context):
    """At most two <li>: the WerkSaam dashboard for WerkSaam staff, Stuurinformatie for team
    leads and beheerders of a municipality. One query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    roles = set()
    if user is not None and user.is_authenticated:
        roles = {
            (role, kind)
            for role, kind in Membership.objects.active()
            .filter(user=user)
            .values_list("role", "organisation__kind")
        }
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {
        "show_dashboard": (Role.WERKSAAM_MEDEWERKER, Organisation.Kind.WERKSAAM) in roles,
        "show_figures": any(
            (role, Organisation.Kind.GEMEENTE) in roles
            for role in (Role.TEAMLEIDER, Role.BEHEERDER)
        ),
        "url_name": url_name,
    }


@register.inclusion_tag("werksaam_bridge/_bar_chart.html")
def bar_chart(rows, caption, chart_id, suffix=""):
    """A horizontal bar chart in SVG with the same numbers in a table under it."""
    rows = [(str(label), value or 0) for label, value in rows]
    largest = max((value for _, value in rows), default=0) or 1
    bar_height, gap, label_width, width = 22, 8, 170, 420
    bars = [
        {
            "label": label,
            "value": value,
            "y": index * (bar_height + gap),
            "text_y": index * (bar_height + gap) + bar_height - 6,
            "width": round((width - label_width - 50) * value / largest, 1),
        }
        for index, (label, value) in enumerate(rows)
    ]
    return {
        "rows": rows,
        "bars": bars,
        "caption": caption,
        "chart_id": f"{chart_id}-{suffix}" if suffix != "" else chart_id,
        "height": max(len(rows) * (bar_height + gap), bar_height),
        "width": width,
        "label_width": label_width,
        "bar_height": bar_height,
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if mapping else key
