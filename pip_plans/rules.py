"""The rules of the PIP, in one place, checked by the services for every path (UI, API, admin).

`check(version, case)` returns blocking errors and warnings per field. A warning (a deviation the
law allows with reasons) blocks until its reason field is filled.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from cases.models import Doelgroep
from common.dates import add_months, add_weeks, add_years, extend_to_working_day
from intake.rules import ONDERWIJSROUTE_MAX_AGE, Route, age_on

TERMIJN_YEARS = 3
BEZWAAR_WEEKS = 6
COURSE_START_MONTHS = {Route.ONDERWIJS: 6}
COURSE_START_MONTHS_DEFAULT = 3
SCHAKEL_WINDOW_MONTHS = 18
AFSCHALEN_MIN_HOURS = 600
Z_ROUTE_HOURS = 800
MAP_MIN_HOURS = 40
PVT_MIN_HOURS = 12

PART_LABELS = {
    "lezen": "Lezen",
    "luisteren": "Luisteren",
    "schrijven": "Schrijven",
    "spreken": "Spreken",
}

ROUTE_LEVELS = {
    Route.B1: {"B1", "A2"},  # A2 only by afschalen
    Route.ONDERWIJS: {"B1", "B2"},
    Route.Z: {"A1"},
}


@dataclass
class RuleResult:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error(self, field_name, message):
        self.errors.setdefault(field_name, []).append(message)

    def warn(self, field_name, message):
        self.warnings.setdefault(field_name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- dates ---------------------------------------------------------------------------------------


def termijn(first_dagtekening: date) -> tuple[date, date]:
    """The inburgeringstermijn as (first day, last day), both included.

    It starts on the day after the dagtekening of the first PIP and lasts three years, so its last
    day is the dagtekening's date three years on (first PIP 10-06-2026: 11-06-2026 t/m
    10-06-2029; a 29 February falls back to 28 February). Whether the Algemene termijnenwet moves
    a last day on a weekend or holiday is a setting (TERMIJN_END_ALGEMENE_TERMIJNENWET, verify).
    """
    start = first_dagtekening + timedelta(days=1)
    end = add_years(first_dagtekening, TERMIJN_YEARS)
    if settings.TERMIJN_END_ALGEMENE_TERMIJNENWET:
        end = extend_to_working_day(end)
    return start, end


def bezwaar_deadline(dagtekening: date) -> date:
    """Six weeks (Awb 6:7), extended to a working day by the Algemene termijnenwet."""
    return extend_to_working_day(add_weeks(dagtekening, BEZWAAR_WEEKS))


def course_start_deadline(dagtekening: date, route: str) -> date:
    return add_months(dagtekening, COURSE_START_MONTHS.get(route, COURSE_START_MONTHS_DEFAULT))


def schakel_window_end(first_dagtekening: date) -> date:
    return add_months(first_dagtekening, SCHAKEL_WINDOW_MONTHS)


# --- content -------------------------------------------------------------------------------------


def check(
    version,
    case,
    *,
    previous_adopted=None,
    first_dagtekening: date | None = None,
    on: date,
    recorded_hours: int | None = None,
) -> RuleResult:
    """All content rules for a version of `case`'s PIP, as of date `on`. `recorded_hours` are the
    course hours the school reported (uitvoering's attendance): afschalen counts those when they
    are more than the hours typed on the version."""
    result = RuleResult()
    route = version.route
    if not route:
        result.error("route", _("Kies een leerroute."))
        return result
    _check_levels(version, result, recorded_hours=recorded_hours)
    _check_route_hours(version, case, result)
    _check_map_pvt(version, result)
    _check_deviations(version, case, result, on=on)
    _check_switch(version, previous_adopted, first_dagtekening, result, on=on)
    _check_version_reason(version, previous_adopted, result)
    if version.unburdening and case.doelgroep != Doelgroep.ASIELSTATUSHOUDER:
        result.error(
            "unburdening", _("Ontzorgen geldt alleen voor asielstatushouders met bijstand.")
        )
    if version.unburdening and not (
        version.unburdening_rent or version.unburdening_energy or version.unburdening_insurance
    ):
        result.error("unburdening", _("Kies welke vaste lasten worden ontzorgd."))
    if version.maatschappelijke_begeleiding and case.doelgroep != Doelgroep.ASIELSTATUSHOUDER:
        result.error(
            "maatschappelijke_begeleiding",
            _("Maatschappelijke begeleiding is voor asielstatushouders."),
        )
    if version.language_school is None:
        result.error("language_school", _("Kies de taalschool (inburgeringsaanbod)."))
    return result


def course_hours(version, recorded_hours: int | None) -> int:
    """The hours that count for afschalen: the recorded attendance, or the version's own figure
    when that is higher (hours followed before the registration started)."""
    return max(version.course_hours_followed or 0, recorded_hours or 0)


def _check_levels(version, result, *, recorded_hours: int | None = None):
    allowed = ROUTE_LEVELS[version.route]
    for part, level in version.levels().items():
        if not level:
            result.error(
                f"level_{part}", _("%(part)s: vul het doelniveau in.") % {"part": PART_LABELS[part]}
            )
        elif level not in allowed:
            result.error(
                f"level_{part}",
                _("%(part)s: niveau %(level)s past niet bij de %(route)s.")
                % {"part": PART_LABELS[part], "level": level, "route": Route.LABELS[version.route]},
            )
    afgeschaald = [
        part
        for part, level in version.levels().items()
        if version.route == Route.B1 and level == "A2"
    ]
    if afgeschaald:
        hours = course_hours(version, recorded_hours)
        school_certified = bool(version.language_school and version.language_school.certified)
        if hours < AFSCHALEN_MIN_HOURS or not school_certified:
            for part in afgeschaald:
                result.error(
                    f"level_{part}",
                    _(
                        "Afschalen naar A2 kan pas na ten minste %(hours)s lesuren bij een gecertificeerde school."
                    )
                    % {"hours": AFSCHALEN_MIN_HOURS},
                )


def _check_route_hours(version, case, result):
    if version.route != Route.Z:
        for name in ("z_hours_language", "z_hours_participation"):
            if getattr(version, name):
                result.error(name, _("Deze uren horen alleen bij de Z-route; maak het veld leeg."))
        return
    if (version.z_hours_language or 0) < Z_ROUTE_HOURS:
        result.error(
            "z_hours_language",
            _("De Z-route omvat ten minste %(hours)s uur NT2 en KNM.") % {"hours": Z_ROUTE_HOURS},
        )
    if (
        case.doelgroep == Doelgroep.ASIELSTATUSHOUDER
        and (version.z_hours_participation or 0) < Z_ROUTE_HOURS
    ):
        result.error(
            "z_hours_participation",
            _(
                "Voor asielstatushouders omvat de Z-route daarnaast ten minste %(hours)s uur participatie."
            )
            % {"hours": Z_ROUTE_HOURS},
        )


def _check_map_pvt(version, result):
    if version.route == Route.ONDERWIJS:
        if version.map_hours:
            result.error(
                "map_hours",
                _("De onderwijsroute kent geen MAP (wel studie- en loopbaanbegeleiding)."),
            )
    elif (version.map_hours or 0) < MAP_MIN_HOURS:
        result.error(
            "map_hours", _("De MAP omvat ten minste %(hours)s uur.") % {"hours": MAP_MIN_HOURS}
        )
    if (version.pvt_hours or 0) < PVT_MIN_HOURS:
        result.error(
            "pvt_hours", _("Het PVT omvat ten minste %(hours)s uur.") % {"hours": PVT_MIN_HOURS}
        )


def _check_deviations(version, case, result, *, on):
    if (
        version.advised_route
        and version.route != version.advised_route
        and not version.route_reason.strip()
    ):
        result.warn(
            "route_reason",
            _(
                "De leerroute wijkt af van het advies uit de brede intake (%(advice)s): geef de reden."
            )
            % {"advice": Route.LABELS[version.advised_route]},
        )
    if (
        version.route == Route.ONDERWIJS
        and age_on(case.date_of_birth, on) > ONDERWIJSROUTE_MAX_AGE
        and not version.age_reason.strip()
    ):
        result.warn(
            "age_reason",
            _(
                "De inburgeraar is ouder dan %(age)s jaar; de onderwijsroute is bedoeld voor jongeren. Geef de reden."
            )
            % {"age": ONDERWIJSROUTE_MAX_AGE},
        )


def _check_switch(version, previous_adopted, first_dagtekening, result, *, on):
    if (
        previous_adopted is None
        or previous_adopted.route == version.route
        or first_dagtekening is None
    ):
        return
    always_allowed = previous_adopted.route == Route.ONDERWIJS and version.route == Route.B1
    if not always_allowed and on > schakel_window_end(first_dagtekening):
        result.error(
            "route",
            _(
                "Schakelen naar een andere leerroute kan alleen in de eerste anderhalf jaar na het eerste PIP (t/m %(end)s), behalve van onderwijsroute naar B1-route."
            )
            % {"end": schakel_window_end(first_dagtekening).strftime("%d-%m-%Y")},
        )


def _check_version_reason(version, previous_adopted, result):
    """The reason given for a new version must fit what changed."""
    if previous_adopted is None:
        return
    if version.route != previous_adopted.route and version.reason not in ("schakelen", "bezwaar"):
        result.error(
            "route",
            _(
                "Een andere leerroute is schakelen: kies als reden 'Schakelen' (of 'Beslissing op bezwaar')."
            ),
        )
    if version.reason == "afschalen":
        before = previous_adopted.levels()
        lowered = [
            part
            for part, level in version.levels().items()
            if level == "A2" and before[part] != "A2"
        ]
        if version.route != Route.B1 or not lowered:
            result.error(
                "reason_text",
                _("Bij afschalen gaat ten minste één examenonderdeel van de B1-route naar A2."),
            )


def blocking_messages(result: RuleResult) -> dict[str, list[str]]:
    """Errors plus unanswered warnings: what stops a version from being submitted or adopted."""
    merged = {k: list(v) for k, v in result.errors.items()}
    for key, messages in result.warnings.items():
        merged.setdefault(key, []).extend(messages)
    return merged


def default_levels(route: str) -> dict[str, str]:
    level = {Route.B1: "B1", Route.ONDERWIJS: "B1", Route.Z: "A1"}[route]
    return {f"level_{part}": level for part in ("lezen", "luisteren", "schrijven", "spreken")}
