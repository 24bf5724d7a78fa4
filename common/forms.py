"""Form rendering in NL Design System (Utrecht) style: classes on widgets, errors tied to fields."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker, which also accepts typing (shown as dd-mm-jjjj in Dutch)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _empty_choice_says_kies(field)
            widget = field.widget
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
