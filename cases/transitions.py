"""State machines as tables of allowed moves, and the one `transition()` that makes a move.

Each machine (the case status here; the intake state and the PIP version status in their own
apps) is a `Machine`: the field it drives and, per state, the states it may move to. Nothing
assigns such a field by hand: `transition()` checks the move, bumps the lock counter, saves,
audits and writes the timeline, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit import events as audit

from .models import CaseStatus


@dataclass(frozen=True)
class Machine:
    name: str
    field: str
    moves: dict[str, frozenset[str]]
    choices: type

    def allows(self, old: str, new: str) -> bool:
        return new in self.moves.get(old, frozenset())

    def label(self, state: str) -> str:
        return str(dict(self.choices.choices).get(state, state))


def moves(table: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    return {state: frozenset(targets) for state, targets in table.items()}


_OPEN_CASE = (CaseStatus.AANGEMELD, CaseStatus.INTAKE, CaseStatus.PIP, CaseStatus.UITVOERING)

CASE_MACHINE = Machine(
    name="case",
    field="status",
    choices=CaseStatus,
    moves=moves(
        {
            CaseStatus.AANGEMELD: (
                CaseStatus.INTAKE,
                CaseStatus.PIP,
                CaseStatus.UITVOERING,
                CaseStatus.BEEINDIGD,
            ),
            # An adopted PIP moves a case to uitvoering from wherever it was before (a PIP may be
            # set without an intake after three missed invitations).
            CaseStatus.INTAKE: (CaseStatus.PIP, CaseStatus.UITVOERING, CaseStatus.BEEINDIGD),
            CaseStatus.PIP: (CaseStatus.UITVOERING, CaseStatus.BEEINDIGD),
            CaseStatus.UITVOERING: (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD),
            CaseStatus.AFGEROND: (),
            CaseStatus.BEEINDIGD: (),
        }
    ),
)
OPEN_CASE_STATUSES = _OPEN_CASE
# The end states: reached only through an afronding (uitvoering.services), which passes
# `closing=True`; `move_case` and any other caller are refused.
CLOSED_CASE_STATUSES = (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD)


def transition(
    machine: Machine,
    obj,
    new: str,
    *,
    actor,
    case=None,
    timeline: str = "",
    reason: str = "",
    save_fields: tuple[str, ...] = (),
    closing: bool = False,
) -> str:
    """Move `obj` to `new` along `machine`, or raise ValidationError naming the refused move.

    Returns the old state. `case` and `timeline` write a timeline line (the case of `obj`);
    `save_fields` are further fields the caller set on `obj` that this save must include.
    """
    from .services import add_timeline

    old = getattr(obj, machine.field)
    if machine is CASE_MACHINE and new in CLOSED_CASE_STATUSES and not closing:
        raise ValidationError(
            _("Een dossier wordt alleen afgesloten met een afronding (tabblad Uitvoering).")
        )
    if not machine.allows(old, new):
        raise ValidationError(
            _("Van '%(old)s' naar '%(new)s' is geen toegestane stap.")
            % {"old": machine.label(old), "new": machine.label(new)}
        )
    setattr(obj, machine.field, new)
    fields = {machine.field, *save_fields}
    if hasattr(obj, "version"):
        obj.version += 1
        fields.add("version")
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = actor
        fields.add("updated_by")
    if hasattr(obj, "updated_at"):
        fields.add("updated_at")
    obj.save(update_fields=sorted(fields))
    audit.transitioned(actor, obj, field=machine.field, old=old, new=new, reason=reason)
    if timeline and case is not None:
        add_timeline(case, actor, machine.name, timeline)
    return old


def move_case(actor, case, new: str, *, timeline: str = "", reason: str = "") -> bool:
    """The case status follows its workflow; a move that is already made (or not allowed from
    here because the case is further along) changes nothing and returns False."""
    if case.status == new or not CASE_MACHINE.allows(case.status, new):
        return False
    if new in CLOSED_CASE_STATUSES:
        return False  # only an afronding closes a case
    transition(CASE_MACHINE, case, new, actor=actor, case=case, timeline=timeline, reason=reason)
    return True
