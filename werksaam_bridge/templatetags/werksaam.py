"""Template tags of the WerkSaam bridge: its navigation item and server-rendered charts."""

from django import template

from municipalities.models import Organisation, Role
from municipalities.selectors import request_holds

register = template.Library()


@register.inclusion_tag("werksaam_bridge/_nav.html", takes_context=True)
def werksaam_nav(context):
    """The WerkSaam dashboard's <li>, for WerkSaam staff. From the request's memberships, read
    once for the whole menu."""
    request = context.get("request")
    show = request is not None and request_holds(
        request, {Role.WERKSAAM_MEDEWERKER}, kind=Organisation.Kind.WERKSAAM
    )
    url_name = getattr(getattr(request, "resolver_match", None), "url_name", "")
    return {"show_dashboard": show, "url_name": url_name}


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
