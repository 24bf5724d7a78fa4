"""Form rendering in NL Design System (Utrecht) style: classes on widgets, errors tied to fields."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

# Every date a form takes lies in a plausible range (issue 11 point 12: a year 9999 overflowed the
# date arithmetic, a year 1 made no sense). A form narrows it per field with `date_bounds`:
# {"field": (earliest, latest)}, each a date or a callable that returns one.
EARLIEST_DATE = date(1900, 1, 1)
# A reason a user writes goes into the audit trail's reason column (500 characters) with a prefix.
REASON_MAX_LENGTH = 400
YEARS_AHEAD = 10


def latest_plausible_date() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


class PlausibleDateValidator:
    def __init__(self, earliest, latest):
        self.earliest = earliest
        self.latest = latest

    def __call__(self, value):
        if value is None:
            return
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        if earliest is not None and day < earliest:
            raise ValidationError(
                _("Deze datum ligt vóór %(date)s; controleer het jaartal."),
                code="date_too_early",
                params={"date": date_format(earliest, "SHORT_DATE_FORMAT")},
            )
        if latest is not None and day > latest:
            raise ValidationError(
                _("Deze datum ligt na %(date)s; controleer het jaartal."),
                code="date_too_late",
                params={"date": date_format(latest, "SHORT_DATE_FORMAT")},
            )


class DateInput(forms.DateInput):
    """The browser's date picker, which also accepts typing (shown as dd-mm-jjjj in Dutch)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


_NO_ATTRS = format_html("{}", "")


def _attrs_html(attrs: dict):
    """Django's django/forms/widgets/attrs.html in Python: False leaves an attribute out, True
    writes its name alone, any other value as text."""
    if not attrs:
        return _NO_ATTRS  # most options: one format_html less each
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, str(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class LongSelect(forms.Select):
    """A select of many options, rendered in Python: the same HTML as `forms.Select`.

    Django renders every option through its own template and the attributes' template (two
    includes an option): the case list's klantmanager filter has one option per klantmanager of
    the user's municipalities (214 in Hoorn at national size, one per 100 cases), 15-25 ms of a
    name search whose budget is 50 ms. The number of options grows with the country; here an
    option costs a few microseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            # Each option as Django's select_option.html writes it, newline at its end included.
            html = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                (
                    (str(option["value"]), _attrs_html(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                html = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, html)
            groups.append((html,))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs_html(widget["attrs"]),
            format_html_join("", "{}", groups),
        )


WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "",
}
DEFAULT_INPUT_CLASS = "utrecht-textbox utrecht-textbox--html-input"


EMPTY_CHOICE = _("Kies…")


def _empty_choice_says_kies(field) -> None:
    """The empty choice of a select reads "Kies…", not Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == "---------":
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", EMPTY_CHOICE), *choices[1:]]


class UtrechtFormMixin:
    """Adds the component classes, and aria-invalid / aria-describedby once the form is bound."""

    template_name = "includes/form_fields.html"
    date_bounds: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _empty_choice_says_kies(field)
            widget = field.widget
            if isinstance(field, forms.DateField | forms.DateTimeField):
                earliest, latest = self.date_bounds.get(
                    name, (EARLIEST_DATE, latest_plausible_date)
                )
                field.validators.append(PlausibleDateValidator(earliest, latest))
            css = next(
                (c for t, c in WIDGET_CLASSES.items() if isinstance(widget, t)), DEFAULT_INPUT_CLASS
            )
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            described = []
            if field.help_text:
                described.append(
                    f"{self.auto_id % self.add_prefix(name)}-help" if self.auto_id else ""
                )
            widget.attrs["aria-describedby"] = " ".join(d for d in described if d)
            if not widget.attrs["aria-describedby"]:
                del widget.attrs["aria-describedby"]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                error_id = f"{self.auto_id % self.add_prefix(name)}-error"
                attrs["aria-describedby"] = (
                    attrs.get("aria-describedby", "") + " " + error_id
                ).strip()
