from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, UtrechtFormMixin

from .models import DocumentKind


class UploadForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, JPEG, PNG of Word (DOCX); het bestand wordt op virussen gescand."),
    )
    kind = forms.ChoiceField(label=_("Soort document"), choices=DocumentKind.choices)
    document_date = forms.DateField(label=_("Datum van het document"), widget=DateInput)
    description = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    special_category = forms.BooleanField(
        label=_("Bevat bijzondere persoonsgegevens (bijvoorbeeld gezondheid)"), required=False
    )
    for_werksaam = forms.BooleanField(label=_("Zichtbaar voor WerkSaam"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("special_category") and data.get("for_werksaam"):
            self.add_error(
                "for_werksaam", _("Bijzondere persoonsgegevens worden nooit met WerkSaam gedeeld.")
            )
        return data
