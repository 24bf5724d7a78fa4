"""The rules of the brede intake that come from the law or its practice, kept in one place.

- Leerbaarheidstoets: 40 questions; since 12 April 2023 a score of 28 or more means the B1-route is
  achievable ("haalbaar"); before that date the cut-off was 31.
- Route advice: the test outcome is one input among several; the caseworker chooses and must give a
  reason to deviate from the advice.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.dates import add_weeks, latest

LEARNABILITY_MAX_SCORE = 40
# (in force from, cut-off), newest first.
LEARNABILITY_CUTOFFS = [(date(2023, 4, 12), 28), (date.min, 31)]
# The onderwijsroute is meant for people up to about 28 years old.
ONDERWIJSROUTE_MAX_AGE = 28


class Route:
    B1 = "B1"
    ONDERWIJS = "ONDERWIJS"
    Z = "Z"

    CHOICES = [
        (B1, gettext_lazy("B1-route")),
        (ONDERWIJS, gettext_lazy("Onderwijsroute")),
        (Z, gettext_lazy("Z-route (zelfredzaamheidsroute)")),
    ]
    LABELS = dict(CHOICES)


def learnability_cutoff(test_date: date) -> int:
    for in_force_from, cutoff in LEARNABILITY_CUTOFFS:
        if test_date >= in_force_from:
            return cutoff
    raise ValueError(test_date)  # unreachable: date.min is the last entry


def b1_haalbaar(score: int, test_date: date) -> bool:
    return score >= learnability_cutoff(test_date)


def age_on(date_of_birth: date, on: date) -> int:
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


# Education levels that let someone go on to Dutch education through a taalschakeltraject.
STUDY_READY_EDUCATION = {"voortgezet", "mbo", "hbo_wo"}


@dataclass
class RouteAdvice:
    route: str | None
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Route.LABELS.get(self.route, "") if self.route else ""


def advise_route(
    *,
    test_score: int | None,
    test_date: date | None,
    test_exempt: bool,
    date_of_birth: date,
    highest_education: str,
    on: date,
) -> RouteAdvice:
    """Suggest a leerroute with the reasons behind it. Returns route None while data is missing."""
    age = age_on(date_of_birth, on)
    if not test_exempt and (test_score is None or test_date is None):
        return RouteAdvice(None, [_("De leerbaarheidstoets is nog niet ingevuld.")])
    reasons = []
    if test_exempt:
        reasons.append(
            _(
                "Geen leerbaarheidstoets (visuele of auditieve beperking): beoordeel op de andere gegevens."
            )
        )
        haalbaar = True
    else:
        cutoff = learnability_cutoff(test_date)
        haalbaar = test_score >= cutoff
        if haalbaar:
            reasons.append(
                _("Toetsscore %(score)s is %(cutoff)s of hoger: B1 is haalbaar.")
                % {"score": test_score, "cutoff": cutoff}
            )
        else:
            reasons.append(
                _(
                    "Toetsscore %(score)s is lager dan %(cutoff)s: B1 is waarschijnlijk niet haalbaar."
                )
                % {"score": test_score, "cutoff": cutoff}
            )
            return RouteAdvice(Route.Z, reasons)
    if age <= ONDERWIJSROUTE_MAX_AGE and highest_education in STUDY_READY_EDUCATION:
        reasons.append(
            _("Leeftijd %(age)s en vooropleiding maken doorstromen naar onderwijs mogelijk.")
            % {"age": age}
        )
        return RouteAdvice(Route.ONDERWIJS, reasons)
    if age > ONDERWIJSROUTE_MAX_AGE:
        reasons.append(
            _("Ouder dan %(max)s jaar: de onderwijsroute ligt niet voor de hand.")
            % {"max": ONDERWIJSROUTE_MAX_AGE}
        )
    else:
        reasons.append(_("Vooropleiding geeft geen directe doorstroom naar Nederlands onderwijs."))
    return RouteAdvice(Route.B1, reasons)


# --- The PIP deadline: the clock the intake runs against ------------------------------------------

PIP_DEADLINE_WEEKS = 10  # after DUO's kennisgeving, or BRP registration if later
THIRD_PARTY_EXTENSION_WEEKS = 2  # at most two weeks after the information arrives (verify)


def pip_deadline(
    *,
    kennisgeving: date | None,
    brp: date | None,
    third_party_received: date | None = None,
    duty_start: date | None = None,
) -> date | None:
    """The one rule (see `pip_deadline_rule_text`): 10 weeks after the kennisgeving (or BRP
    registration if later); when the municipality waited for third-party information, two weeks
    after it arrived, never earlier than those 10 weeks (verify: THIRD_PARTY_EXTENSION_WEEKS).
    A minor's duty postponed by leerplicht or kwalificatieplicht (`duty_start`, the day after it
    ends) counts from that start when it is later: nothing is due while it lasts."""
    if kennisgeving is None and brp is None:
        return None
    start = latest(kennisgeving, brp, duty_start)
    if start is None:
        return None
    deadline = add_weeks(start, PIP_DEADLINE_WEEKS)
    if third_party_received:
        deadline = max(deadline, add_weeks(third_party_received, THIRD_PARTY_EXTENSION_WEEKS))
    return deadline


def third_party_waiting_since(requested: date | None, received: date | None) -> date | None:
    """The day the wait for third-party information began, while it lasts (requested, not yet
    received). While waiting, the PIP deadline is not yet known: it is not overdue."""
    return requested if requested and not received else None


def pip_deadline_rule_text() -> str:
    """The rule of `pip_deadline` in one sentence, the same on every screen."""
    return _(
        "Het PIP wordt vastgesteld binnen %(weeks)s weken na de kennisgeving van DUO (of na de "
        "inschrijving in de BRP, als die later is); wacht de gemeente op informatie van derden, "
        "dan is de uiterste datum %(extension)s weken na ontvangst ervan, maar nooit eerder dan "
        "het einde van die %(weeks)s weken."
    ) % {"weeks": PIP_DEADLINE_WEEKS, "extension": THIRD_PARTY_EXTENSION_WEEKS}


def third_party_waiting_label(since: date) -> str:
    return _("wacht op informatie van derden (sinds %(date)s)") % {
        "date": since.strftime("%d-%m-%Y")
    }


# --- the invitation ladder (Wet inburgering 2021, handhaving brede intake) ----------------------

FINE_AMOUNT_EUR = 250  # a fine for missing the brede intake; the letters use the same amount
# The n-th blameworthy miss (an earlier measure withdrawn does not count) leads to this measure.
LADDER = {1: "waarschuwing", 2: "boete", 3: "tweede_boete"}
LAST_STEP = "tweede_boete"


@dataclass(frozen=True)
class MissedConsequence:
    measure: str  # "" (none), "waarschuwing", "boete" or "tweede_boete"
    text: str  # what the confirmation step names before anything is recorded
    pip_without_input: bool


def missed_consequence(step: int, *, geldige_reden: bool, verwijtbaar: bool) -> MissedConsequence:
    """What a missed invitation leads to, given the assessment. With a geldige reden, or when the
    absence cannot be blamed on the person (Awb 5:41), there is no measure at all. Otherwise the
    `step`-th blameworthy miss: 1 a written warning and a second invitation, 2 a voornemen to fine
    € 250 and a third invitation, 3 (and later) a second € 250 voornemen, and the PIP is to be set
    without the person's input. A fine stays a voornemen until the boetebeschikking is sent."""
    if geldige_reden:
        return MissedConsequence(
            "",
            _(
                "Geen maatregel: de inburgeraar had een geldige reden. Nodig de inburgeraar "
                "opnieuw uit."
            ),
            False,
        )
    if not verwijtbaar:
        return MissedConsequence(
            "",
            _(
                "Geen maatregel: het niet verschijnen is niet verwijtbaar (artikel 5:41 Awb). "
                "Nodig de inburgeraar opnieuw uit."
            ),
            False,
        )
    measure = LADDER.get(step, LAST_STEP)
    amount = {"amount": FINE_AMOUNT_EUR}
    if measure == "waarschuwing":
        text = _("Schriftelijke waarschuwing en een tweede uitnodiging.")
    elif measure == "boete":
        text = (
            _(
                "Voornemen tot een boete van € %(amount)s en een derde uitnodiging. De boete is pas "
                "opgelegd met de boetebeschikking, nadat de inburgeraar een zienswijze kon geven."
            )
            % amount
        )
    else:
        text = (
            _(
                "Voornemen tot een tweede boete van € %(amount)s. Daarna is het PIP vast te stellen "
                "zonder inbreng van de inburgeraar."
            )
            % amount
        )
    return MissedConsequence(measure, text, measure == LAST_STEP)
