from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import events as audit
from common.bsn import normalise_bsn, validate_bsn
from common.forms import REASON_MAX_LENGTH, DateInput, LongSelect, UtrechtFormMixin
from common.postcode import normalise_postcode
from municipalities.models import CASE_ROLES, Organisation
from municipalities.selectors import organisations_of

from . import registry
from .models import (
    ADULT_AGE,
    LEERPLICHT_FIELDS,
    LEGAL_DATE_FIELDS,
    LEGAL_REPRESENTATIVE_FIELDS,
    MINIMUM_AGE,
    PERSON_FIELDS,
    CaseStatus,
    Doelgroep,
    HouseholdLink,
    Inburgeraar,
)
from .services import under_minimum_age_message


class RegistrationForm(UtrechtFormMixin, forms.ModelForm):
    """Register an inburgeraar by hand, with clear messages for every impossible input."""

    # These dates have their own checks in clean() (not in the future, not before birth), with
    # their own messages, which also stop a year 9999 or a year 1.
    date_bounds = dict.fromkeys(["date_of_birth", *LEGAL_DATE_FIELDS], (None, None))

    class Meta:
        model = Inburgeraar
        fields = [
            *PERSON_FIELDS,
            "doelgroep",
            "municipality",
            *LEGAL_DATE_FIELDS,
            *LEERPLICHT_FIELDS,
            *LEGAL_REPRESENTATIVE_FIELDS,
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "leerplicht_end": DateInput(),
            "datum_kennisgeving": DateInput(),
            "datum_inschrijving_brp": DateInput(),
            "datum_start_inburgeringsplicht": DateInput(),
            "datum_koppeling": DateInput(),
        }

    # Grouped on the page, each group a fieldset with its legend (includes/form_fieldsets.html).
    FIELDSETS = (
        (
            _("Persoon"),
            (
                "bsn",
                "v_nummer",
                "first_names",
                "surname_prefix",
                "surname",
                "date_of_birth",
                "gender",
                "nationality",
                "languages",
            ),
        ),
        (
            _("Adres en contact"),
            ("street", "house_number", "postal_code", "city", "phone", "email"),
        ),
        (_("Inburgeringsplicht"), ("doelgroep", "municipality", *LEGAL_DATE_FIELDS)),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A BSN already registered in the user's own scope: the error links to that case.
        self.known_case = None
        self.fields["bsn"].validators = []  # checked in clean_bsn, with the 11-proef named
        self.fields["bsn"].help_text = _("9 cijfers; wordt gecontroleerd met de 11-proef.")
        self.fields["municipality"].queryset = organisations_of(user, roles=CASE_ROLES).filter(
            kind=Organisation.Kind.GEMEENTE
        )
        self.fields["municipality"].empty_label = None
        self.fields["datum_kennisgeving"].required = True

    def clean_bsn(self):
        bsn = normalise_bsn(self.cleaned_data["bsn"])
        validate_bsn(bsn)
        existing = Inburgeraar.objects.filter(bsn=bsn)
        if existing.exists():
            known = Inburgeraar.objects.visible_to(self.user).filter(bsn=bsn).first()
            if known is not None:
                self.known_case = known
                raise forms.ValidationError(
                    _("Dit BSN is al ingeschreven: %(naam)s."),
                    code="bsn_known",
                    params={"naam": known.full_name},
                )
            # A case the user may not see: say nothing about it, but put the attempt on the
            # trail of that case (its municipality's auditor sees who tried).
            audit.registration_refused(self.user, existing.first())
            raise forms.ValidationError(
                _(
                    "Dit BSN kan niet worden ingeschreven. Neem contact op met de functioneel beheerder."
                ),
                code="bsn_unavailable",
            )
        return bsn

    @property
    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    @property
    def summary_links(self):
        """Extra links in the error summary: to the case this BSN already belongs to."""
        if self.known_case is None:
            return []
        from django.urls import reverse

        return [
            {
                "url": reverse("case-detail", args=[self.known_case.pk]),
                "text": _("Naar het dossier van %(naam)s") % {"naam": self.known_case.full_name},
            }
        ]

    def clean_postal_code(self):
        postcode = normalise_postcode(self.cleaned_data["postal_code"])
        if postcode is None:
            raise forms.ValidationError(
                _("Geen geldige postcode; gebruik bijvoorbeeld 1621 KJ."), code="postcode"
            )
        return postcode

    def validate_unique(self):
        # BSN uniqueness is checked in clean_bsn with a message that does not leak other cases.
        exclude = self._get_validation_exclusions()
        exclude.add("bsn")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        born = data.get("date_of_birth")
        if born:
            if born > today:
                self.add_error("date_of_birth", _("De geboortedatum ligt in de toekomst."))
            elif _age(born, today) < MINIMUM_AGE:
                self.add_error("date_of_birth", under_minimum_age_message(born, on=today))
            elif _age(born, today) > 120:
                self.add_error("date_of_birth", _("Deze geboortedatum is niet mogelijk."))
            elif _age(born, today) < ADULT_AGE and not data.get("leerplicht"):
                self.add_error(
                    "leerplicht",
                    _(
                        "De inburgeraar is 16 of 17 jaar: geef aan of hij of zij leerplichtig of "
                        "kwalificatieplichtig is (zo ja, dan begint de inburgeringsplicht pas "
                        "daarna)."
                    ),
                )
            elif _age(born, today) >= ADULT_AGE and data.get("leerplicht"):
                self.add_error(
                    "leerplicht", _("Leerplicht geldt alleen voor wie jonger is dan 18 jaar.")
                )
        for name in (
            "datum_kennisgeving",
            "datum_inschrijving_brp",
            "datum_start_inburgeringsplicht",
            "datum_koppeling",
        ):
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Deze datum ligt in de toekomst."))
            elif value and born and value < born:
                self.add_error(name, _("Deze datum ligt vóór de geboortedatum."))
        if data.get("datum_koppeling") and data.get("doelgroep") != Doelgroep.ASIELSTATUSHOUDER:
            self.add_error(
                "datum_koppeling",
                _("Een koppelingsdatum (COA) hoort alleen bij een asielstatushouder."),
            )
        return data


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class CaseFilterForm(UtrechtFormMixin, forms.Form):
    SORTS = [
        ("naam", _("Naam (A-Z)")),
        ("-kennisgeving", _("Kennisgeving (nieuwste eerst)")),
        ("kennisgeving", _("Kennisgeving (oudste eerst)")),
    ]
    q = forms.CharField(label=_("Zoek op naam, BSN of V-nummer"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + CaseStatus.choices
    )
    doelgroep = forms.ChoiceField(
        label=_("Doelgroep"), required=False, choices=[("", _("Alle"))] + Doelgroep.choices
    )
    # One option per klantmanager of the user's municipalities: hundreds at national size.
    caseworker = forms.ChoiceField(label=_("Klantmanager"), required=False, widget=LongSelect)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    sort = forms.ChoiceField(label=_("Sorteren"), required=False, choices=SORTS)

    def __init__(self, *args, user, caseworkers, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["sort"].choices = self.SORTS + [
            (value, label)
            for column in registry.case_columns()
            for value, (label, _order) in column.sorts.items()
        ]
        self.fields["caseworker"].choices = [
            ("", _("Iedereen")),
            ("mij", _("Mijn inburgeraars")),
            ("geen", _("Niet toegewezen")),
        ] + [(str(u.pk), str(u)) for u in caseworkers]
        self.fields["municipality"].choices = [("", _("Alle"))] + [
            (str(m.pk), m.name) for m in municipalities
        ]
        if len(municipalities) < 2:
            del self.fields["municipality"]


class TransferForm(UtrechtFormMixin, forms.Form):
    to_municipality = forms.ModelChoiceField(
        label=_("Naar gemeente"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea, max_length=REASON_MAX_LENGTH
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_municipality"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.GEMEENTE
        ).exclude(pk=case.municipality_id)


class ContactForm(UtrechtFormMixin, forms.ModelForm):
    """Address, phone and email, corrected on the Overzicht."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Inburgeraar
        fields = ["street", "house_number", "postal_code", "city", "phone", "email"]

    def clean_postal_code(self):
        postcode = normalise_postcode(self.cleaned_data["postal_code"])
        if postcode is None:
            raise forms.ValidationError(
                _("Geen geldige postcode; gebruik bijvoorbeeld 1621 KJ."), code="postcode"
            )
        return postcode

    def validate_unique(self):
        pass  # only these fields change; the case is validated again in update_case


class DatesForm(UtrechtFormMixin, forms.ModelForm):
    """The dates the law hangs on; a change recomputes the deadlines."""

    # These dates have their own checks in clean() (not in the future, not before birth), with
    # their own messages, which also stop a year 9999 or a year 1.
    date_bounds = dict.fromkeys(["date_of_birth", *LEGAL_DATE_FIELDS], (None, None))

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Inburgeraar
        fields = list(LEGAL_DATE_FIELDS)
        widgets = {name: DateInput() for name in LEGAL_DATE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.doelgroep != Doelgroep.ASIELSTATUSHOUDER:
            del self.fields["datum_koppeling"]

    def validate_unique(self):
        pass

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in self.Meta.fields:
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Deze datum ligt in de toekomst."))
            elif value and value < self.instance.date_of_birth:
                self.add_error(name, _("Deze datum ligt vóór de geboortedatum."))
        return data


class MinorForm(UtrechtFormMixin, forms.ModelForm):
    """A 16- or 17-year-old: leerplicht or kwalificatieplicht (which postpones the duty) and the
    legal representative the letters go to."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Inburgeraar
        fields = [*LEERPLICHT_FIELDS, *LEGAL_REPRESENTATIVE_FIELDS]
        widgets = {"leerplicht_end": DateInput()}
        help_texts = {
            "legal_representative_street": _(
                "Leeg laten als de vertegenwoordiger op het adres van de inburgeraar woont: de "
                "brieven gaan dan naar dat adres."
            )
        }

    def validate_unique(self):
        pass

    def clean_legal_representative_postal_code(self):
        value = self.cleaned_data["legal_representative_postal_code"]
        if not value:
            return value
        postcode = normalise_postcode(value)
        if postcode is None:
            raise forms.ValidationError(
                _("Geen geldige postcode; gebruik bijvoorbeeld 1621 KJ."), code="postcode"
            )
        return postcode


class HouseholdAddForm(UtrechtFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    bsn = forms.CharField(
        label=_("BSN van het gezinslid"),
        max_length=11,
        help_text=_("Het gezinslid moet als inburgeraar zijn ingeschreven."),
    )
    relation = forms.ChoiceField(
        label=_("Relatie"), choices=[("", _("Kies…")), *HouseholdLink.Relation.choices]
    )

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case

    def clean_bsn(self):
        bsn = normalise_bsn(self.cleaned_data["bsn"])
        relative = Inburgeraar.objects.visible_to(self.user).filter(bsn=bsn).first()
        if relative is None:
            raise forms.ValidationError(
                _("Geen inburgeraar met dit BSN gevonden in uw gemeente(n)."), code="unknown"
            )
        if relative.pk == self.case.pk:
            raise forms.ValidationError(_("Dit is het BSN van deze inburgeraar zelf."))
        self.relative = relative
        return bsn
