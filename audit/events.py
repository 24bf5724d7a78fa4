"""Typed audit events: one named function per thing that happens to a person's record.

Services and views call these, never `AuditEntry` directly, so every entry of one kind has the
same action, the same shape of `fields` and a reason from `Reason` (no free text where the law
asks for none). `entries_for` builds many entries of one kind for a bulk write (an export, an
import), stored by `record_many` in one statement per batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import LazyObject, empty

from .models import AuditEntry
from .services import audit_repr, diff, record, record_many

Action = AuditEntry.Action


class Reason:
    """The fixed reasons: what a reader of the trail filters on."""

    DOSSIER = "dossier"
    BSN_REVEALED = "BSN getoond"
    HEALTH = "gezondheidsgegevens"
    EXPORT = "export"
    IMPORT = "DUO-import"
    ADMIN = "beheer"
    API = "api"
    TRANSITION = "statusovergang"
    TRANSFER = "verhuizing"
    DOWNLOAD = "download"
    SEARCH = "zoeken"
    TRAIL = "auditlog gelezen"
    SEARCH_BSN = "zoeken op BSN"
    SHARED_VIEW = "gedeeld met WerkSaam"
    LOCKOUT = "inloggen geblokkeerd"
    SECOND_FACTOR_RESET = "tweede factor hersteld"
    MEMBERSHIP = "lidmaatschap"
    GRANT = "toegang per dossier"
    REGISTRATION = "inschrijving van een BSN dat elders bekend is"
    INZAGE = "inzage AVG art. 15"
    RETENTION = "bewaartermijn verstreken"
    LEGAL_HOLD = "legal hold"


# --- reads ---------------------------------------------------------------------------------------


def case_viewed(actor, obj, *, part: str, fields: Iterable[str] = ()) -> AuditEntry:
    """A page, tab, fragment or API detail that shows a person's record; `part` names which."""
    return record(actor, Action.VIEW, obj, fields=list(fields), reason=f"{Reason.DOSSIER}: {part}")


def page_read(actor, case, *, view_name: str) -> AuditEntry:
    """A page or fragment of a case's dossier that wrote no entry of its own (a form opened, a
    block, a tab fragment): one entry per page view, written by cases.middleware."""
    return record(actor, Action.VIEW, case, reason=f"{Reason.DOSSIER}: {view_name}"[:500])


def bsn_revealed(actor, case, *, why: str = "") -> AuditEntry:
    """The full BSN shown; `why` is the reader's reason or legal basis, where one is asked."""
    reason = f"{Reason.BSN_REVEALED}: {why}" if why else Reason.BSN_REVEALED
    return record(actor, Action.VIEW, case, fields=["bsn"], reason=reason[:500])


def health_read(actor, obj, *, fields: Iterable[str], part: str) -> AuditEntry:
    return record(actor, Action.VIEW, obj, fields=list(fields), reason=f"{Reason.HEALTH}: {part}")


def document_downloaded(actor, document, *, part: str = "") -> AuditEntry:
    reason = f"{Reason.DOWNLOAD}: {part}" if part else Reason.DOWNLOAD
    return record(actor, Action.DOWNLOAD, document, fields=["file"], reason=reason)


def upload_refused(actor, case, *, reason: str) -> AuditEntry:
    """An upload refused before anything was kept (a virus found, a type or size not allowed)."""
    return record(actor, Action.CREATE, case, fields=["document"], reason=f"geweigerd: {reason}")


def registration_refused(actor, case) -> AuditEntry:
    """Someone tried to register a BSN that is already a case they may not see (another
    municipality's): they got a neutral message; the attempt is on that case's trail."""
    return record(
        actor, Action.CREATE, case, fields=["bsn"], reason=f"geweigerd: {Reason.REGISTRATION}"
    )


def letter_sent(actor, letter) -> AuditEntry:
    """A letter marked sent: its dagtekening and the SHA-256 of the PDF that went out."""
    return record(
        actor,
        Action.UPDATE,
        letter,
        changes={"status": ["gecontroleerd", "verzonden"], "sha256": ["", letter.sha256]},
        reason=f"verzonden op {letter.dagtekening.isoformat()}",
    )


def listed(actor, objects: Iterable, *, part: str, fields: Iterable[str] = ()) -> list[AuditEntry]:
    """A list page or API list page that shows several people's records: one entry each."""
    return record_many(
        entries_for(actor, Action.VIEW, objects, fields=fields, reason=f"{Reason.DOSSIER}: {part}")
    )


def searched(actor, objects: Iterable, *, part: str, by: str) -> list[AuditEntry]:
    """A search that showed these records: one entry each, naming what was searched on (`by`:
    "naam" or "bsn"; never the search term itself, which may be a BSN)."""
    return record_many(
        entries_for(actor, Action.VIEW, objects, fields=[by], reason=f"{Reason.SEARCH}: {part}")
    )


def trail_read(actor, entries: Iterable, *, part: str) -> AuditEntry:
    """Someone (the auditor) read a page of the audit trail: one entry per page view, naming the
    entries shown (their ids), not one entry per entry read."""
    shown = [str(entry.pk) for entry in entries]
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=Action.VIEW,
        object_type=AuditEntry._meta.label_lower,
        object_id=f"{shown[0]}-{shown[-1]}"[:64] if shown else "-",
        object_repr=f"{len(shown)} regels",
        fields=shown,
        reason=f"{Reason.TRAIL}: {part}"[:500],
    )
    return record_many([entry])[0]


def export_made(
    actor, objects: Iterable, *, part: str, fields: Iterable[str] = (), batch_size: int = 500
):
    """An export (CSV, Excel) of several records: one entry per record, in bulk (`batch_size`
    entries per INSERT)."""
    return record_many(
        entries_for(
            actor, Action.EXPORT, objects, fields=fields, reason=f"{Reason.EXPORT}: {part}"
        ),
        batch_size=batch_size,
    )


def inzage_made(actor, case, *, fmt: str) -> AuditEntry:
    """The privacy officer made the per-person export of everything held (AVG art. 15)."""
    return record(actor, Action.EXPORT, case, fields=["inzage"], reason=f"{Reason.INZAGE}: {fmt}")


def retention_applied(case, *, removed: dict) -> AuditEntry:
    """The retention sweep anonymised the case: which fields and files went (names and counts)."""
    fields = sorted(f"{label}.{name}" for label, what in removed.items() for name in what)
    return record(None, Action.DELETE, case, fields=fields, reason=Reason.RETENTION)


def legal_hold_changed(actor, hold, *, placed: bool) -> AuditEntry:
    """A legal hold placed on a case (retention stops) or lifted (retention may run again)."""
    action = Action.CREATE if placed else Action.DELETE
    return record(actor, action, hold, fields=["reason"], reason=Reason.LEGAL_HOLD)


# --- writes --------------------------------------------------------------------------------------


def created(actor, obj, *, values: dict | None = None, reason: str = "") -> AuditEntry:
    return record(actor, Action.CREATE, obj, changes=diff(obj, {}, values or {}), reason=reason)


def changed(actor, obj, *, old: dict, new: dict, reason: str = "", fields=None) -> AuditEntry:
    """A change with the fields' old and new values (masked fields only named)."""
    changes = diff(obj, old, new)
    return record(
        actor,
        Action.UPDATE,
        obj,
        fields=sorted(changes) if fields is None else list(fields),
        changes=changes,
        reason=reason,
    )


def deleted(actor, obj, *, reason: str = "") -> AuditEntry:
    return record(actor, Action.DELETE, obj, reason=reason)


def transitioned(actor, obj, *, field: str, old: str, new: str, reason: str = "") -> AuditEntry:
    """A move of a state machine (case status, intake state, PIP version status)."""
    return record(actor, Action.UPDATE, obj, changes={field: [old, new]}, reason=reason)


def configured(actor, obj, *, fields, created: bool) -> AuditEntry:
    """A beheerder's change of configuration (reminder policies, intervals, reference data)."""
    action = Action.CREATE if created else Action.UPDATE
    return record(actor, action, obj, fields=list(fields), reason=Reason.ADMIN)


def calendar_feed_changed(user, *, reason: str) -> AuditEntry:
    return record(user, Action.UPDATE, user, fields=["calendar_feed"], reason=reason)


# --- accounts and access ----------------------------------------------------------------------


def login_locked_out(*, username: str, ip_address: str) -> AuditEntry:
    """django-axes locked out a username or an address after too many failed logins. The entry
    is about the account when it exists, otherwise about the lockout record itself."""
    from django.contrib.auth import get_user_model

    obj = get_user_model().objects.filter(username=username).first()
    if obj is None:
        from axes.models import AccessAttempt

        obj = AccessAttempt.objects.filter(username=username, ip_address=ip_address).first()
    reason = f"{Reason.LOCKOUT}: {ip_address}" if ip_address else Reason.LOCKOUT
    if obj is None:
        return None
    return record(None, Action.UPDATE, obj, changes={"locked_out": [False, True]}, reason=reason)


def second_factor_reset(actor, user, *, devices: int) -> AuditEntry:
    """A beheerder removed a user's second-factor devices (lost phone): a new one at next login."""
    return record(
        actor,
        Action.UPDATE,
        user,
        changes={"second_factor_devices": [devices, 0]},
        reason=Reason.SECOND_FACTOR_RESET,
    )


def membership_changed(actor, membership, *, old: dict | None, new: dict | None) -> AuditEntry:
    """A membership (a user's role in an organisation) added (old None), changed, or removed
    (new None), from the admin or a service."""
    action = Action.CREATE if old is None else Action.DELETE if new is None else Action.UPDATE
    changes = {
        field: [_plain((old or {}).get(field)), _plain((new or {}).get(field))]
        for field in sorted(set(old or {}) | set(new or {}))
        if (old or {}).get(field) != (new or {}).get(field)
    }
    return record(actor, action, membership, changes=changes, reason=Reason.MEMBERSHIP)


def grant_changed(actor, grant, *, old: dict | None, new: dict | None) -> AuditEntry:
    """A per-case grant (django-guardian row on a case, to a user or a group) added, changed or
    removed in the admin."""
    action = Action.CREATE if old is None else Action.DELETE if new is None else Action.UPDATE
    changes = {
        field: [_plain((old or {}).get(field)), _plain((new or {}).get(field))]
        for field in sorted(set(old or {}) | set(new or {}))
        if (old or {}).get(field) != (new or {}).get(field)
    }
    return record(actor, action, grant, changes=changes, reason=Reason.GRANT)


def _plain(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --- bulk ----------------------------------------------------------------------------------------


def _per_object(value, obj):
    return value(obj) if callable(value) else value


def imported(actor, objects: Iterable, *, fields, reason) -> list[AuditEntry]:
    """Records created by an import, in bulk: `fields` and `reason` may be functions of the
    object (which fields the row filled; which batch and row it came from)."""
    return record_many(entries_for(actor, Action.CREATE, objects, fields=fields, reason=reason))


def entries_for(
    actor, action, objects: Iterable, *, fields=(), reason="", changes=None
) -> list[AuditEntry]:
    """Unsaved entries of one kind for many objects, for `record_many`. `fields`, `reason` and
    `changes` may be constants or functions of the object."""
    if isinstance(actor, LazyObject):
        # request.user: every attribute read and the foreign key's checks went through the
        # lazy proxy, for each of the entries (a sixth of a 20,000-row export's time).
        if actor._wrapped is empty:
            actor._setup()
        actor = actor._wrapped
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    username = getattr(actor, "username", "") or ""
    return [
        AuditEntry(
            actor=actor_obj,
            actor_username=username,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=audit_repr(obj),
            fields=list(_per_object(fields, obj)),
            changes=_per_object(changes, obj) or {},
            reason=_per_object(reason, obj),
        )
        for obj in objects
    ]
