from django import forms
from django.utils.translation import gettext_lazy as _

from common.bsn import normalise_bsn, validate_bsn
from common.forms import UtrechtFormMixin


class InzageForm(UtrechtFormMixin, forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=20)
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[("pdf", _("PDF (om te lezen)")), ("json", _("JSON (machineleesbaar)"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def clean_bsn(self):
        validate_bsn(self.cleaned_data["bsn"])
        return normalise_bsn(self.cleaned_data["bsn"])
