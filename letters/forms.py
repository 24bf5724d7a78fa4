import contextlib
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, DateTimeInput, UtrechtFormMixin

from . import rules
from .content import AFRONDING_OUTCOMES
from .models import Decision, LetterKind

YES_NO = [("nee", _("Nee")), ("ja", _("Ja"))]


class UitnodigingForm(UtrechtFormMixin, forms.Form):
    place = forms.CharField(
        label=_("Plaats van het gesprek"),
        max_length=300,
        help_text=_("Zoals op de brief moet staan, bijvoorbeeld: Stadhuis, Nieuwe Steen 1, Hoorn."),
    )
    interpreter = forms.CharField(
        label=_("Tolk (taal)"),
        max_length=100,
        required=False,
        help_text=_("Leeg: geen tolk."),
    )


class WaarschuwingForm(UtrechtFormMixin, forms.Form):
    next_place = forms.CharField(
        label=_("Plaats van de nieuwe afspraak"), max_length=300, required=False
    )


class VoornemenForm(UtrechtFormMixin, forms.Form):
    zienswijze_weeks = forms.IntegerField(
        label=_("Weken voor een zienswijze"),
        min_value=1,
        max_value=6,
        initial=rules.ZIENSWIJZE_WEEKS,
        help_text=_("Gerekend vanaf de dag na de verzenddatum."),
    )


class BoeteForm(UtrechtFormMixin, forms.Form):
    """The boetebeschikking's own input: the zienswijze. The geldige reden and verwijtbaarheid
    are the invitation's assessment, recorded before the measure (intake), and shown beside."""

    zienswijze = forms.CharField(
        label=_("Zienswijze van de inburgeraar"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        help_text=_("Leeg: er is niet gereageerd."),
    )

    def facts(self) -> dict:
        data = self.cleaned_data
        return {"zienswijze": data["zienswijze"]}


class VerklaringForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom begon de cursus niet op tijd?"), widget=forms.Textarea, max_length=1000
    )


class AfrondingForm(UtrechtFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            ("voldaan", _("Voldaan: alle onderdelen gehaald")),
            ("z_route", _("Voldaan: eindgesprek Z-route gehouden")),
            ("niet_voldaan", _("Niet voldaan aan het einde van de termijn")),
            ("beeindigd", _("Inburgeringsplicht op andere wijze beëindigd")),
        ],
    )
    outcome_date = forms.DateField(label=_("Datum"), widget=DateInput)
    note = forms.CharField(
        label=_("Aanvulling voor de brief"), widget=forms.Textarea, max_length=1000, required=False
    )

    def facts(self) -> dict:
        data = self.cleaned_data
        assert data["outcome"] in AFRONDING_OUTCOMES
        return {**data, "outcome_date": data["outcome_date"].isoformat()}


FORMS = {
    LetterKind.UITNODIGING: UitnodigingForm,
    LetterKind.WAARSCHUWING: WaarschuwingForm,
    LetterKind.VOORNEMEN_BOETE: VoornemenForm,
    LetterKind.BOETEBESCHIKKING: BoeteForm,
    LetterKind.VERKLARING_CURSUSSTART: VerklaringForm,
    LetterKind.AFRONDING: AfrondingForm,
}


def facts_of(form) -> dict:
    if hasattr(form, "facts"):
        return form.facts()
    return dict(form.cleaned_data)


def initial_from(form_class, facts: dict) -> dict:
    """A concept's facts as the initial values of its form, to correct them: yes/no facts back to
    "ja"/"nee", dates back from their ISO text."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if name not in facts:
            continue
        value = facts[name]
        if isinstance(value, bool):
            value = "ja" if value else "nee"
        elif isinstance(field, forms.DateField) and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        initial[name] = value
    return initial


class SendForm(UtrechtFormMixin, forms.Form):
    sent_on = forms.DateField(
        label=_("Verzonden op (dagtekening)"),
        widget=DateInput,
        help_text=_("De termijnen in de brief gaan in op de dag daarna."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()


class BezwaarForm(UtrechtFormMixin, forms.Form):
    against = forms.ChoiceField(label=_("Bezwaar tegen"))
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput)
    posted_on = forms.DateField(
        label=_("Op de post gedaan op (poststempel)"),
        widget=DateInput,
        required=False,
        help_text=_("Alleen als het per post kwam: telt mee voor 'op tijd' (artikel 6:9 Awb)."),
    )
    advisory_committee = forms.BooleanField(
        label=_("Advies van de bezwaaradviescommissie (beslistermijn 12 weken)"), required=False
    )
    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"), widget=forms.Textarea, required=False, max_length=4000
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].choices = choices


class HearingForm(UtrechtFormMixin, forms.Form):
    hearing_at = forms.DateTimeField(label=_("Hoorzitting op"), widget=DateTimeInput)
    hearing_notes = forms.CharField(
        label=_("Verslag"), widget=forms.Textarea, required=False, max_length=4000
    )


class DecisionForm(UtrechtFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Beslissing"), choices=Decision.choices)
    decision_reason = forms.CharField(
        label=_("Motivering (komt in de brief)"), widget=forms.Textarea, max_length=4000
    )
