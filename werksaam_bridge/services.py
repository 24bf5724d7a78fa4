"""Writes of the WerkSaam bridge: sharing, WerkSaam's records, its events.

One mechanism gives WerkSaam access: `sync_werksaam_access(case)` makes the django-guardian grant
of `view_inburgeraar` to WerkSaam's organisation group match the case's shares (granted while at
least one share is active, removed otherwise). Starting and ending a share call it in their own
transaction; the beat sweep `expire_shares` (every minute) and every WerkSaam read or write of a
case whose share has passed its end date call it too, so access ends at the end date.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import events as audit
from cases.models import Inburgeraar, InburgeraarGroupObjectPermission
from cases.services import add_timeline, lock_editable_case
from cases.signals import facts_changed
from municipalities.models import Membership, Organisation, Role
from webhooks import events as webhooks

from .models import (
    Activity,
    Benefit,
    MapProgress,
    Share,
    Unburdening,
)

PERMISSION = "view_inburgeraar"


def werksaam() -> Organisation:
    return Organisation.objects.select_related("group").get(kind=Organisation.Kind.WERKSAAM)


def is_werksaam_staff(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        Membership.objects.active()
        .filter(
            user=user,
            role=Role.WERKSAAM_MEDEWERKER,
            organisation__kind=Organisation.Kind.WERKSAAM,
        )
        .exists()
    )


# --- the grant follows the shares ------------------------------------------------------------------


def sync_werksaam_access(case, *, today=None) -> bool | None:
    """Grant or remove WerkSaam's view permission so that it matches the active shares.

    Returns True when granted now, False when removed now, None when nothing changed.
    Idempotent: the sweep may call it any number of times.
    """
    organisation = werksaam()
    should_see = Share.objects.filter(inburgeraar=case).active(today).exists()
    has_grant = InburgeraarGroupObjectPermission.objects.filter(
        group=organisation.group, content_object_id=case.pk, permission__codename=PERMISSION
    ).exists()
    if should_see and not has_grant:
        assign_perm(PERMISSION, organisation.group, case)
        return True
    if has_grant and not should_see:
        remove_perm(PERMISSION, organisation.group, case)
        return False
    return None


@transaction.atomic
def start_share(
    actor,
    case,
    *,
    basis: str,
    start_date=None,
    end_date=None,
    consent_date=None,
    consent_scope: str = "",
    consent_document=None,
) -> Share:
    """A caseworker of the case's municipality shares the case with WerkSaam on a basis; for
    consent, the signed form (a document of kind toestemming on this case) may be linked."""
    case = lock_editable_case(actor, case)
    if consent_document is not None and (
        basis != Share.Basis.CONSENT
        or consent_document.inburgeraar_id != case.pk
        or consent_document.kind != "toestemming"
    ):
        raise ValidationError(
            _(
                "Koppel alleen een toestemmingsformulier van dit dossier aan een deling op toestemming."
            )
        )
    share = Share(
        inburgeraar=case,
        basis=basis,
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
        consent_date=consent_date if basis == Share.Basis.CONSENT else None,
        consent_scope=consent_scope if basis == Share.Basis.CONSENT else "",
        consent_document=consent_document,
        created_by=actor,
    )
    share.full_clean(exclude=["inburgeraar", "created_by"])
    share.save()
    sync_werksaam_access(case)
    audit.created(
        actor,
        share,
        values={
            "basis": share.basis,
            "start_date": share.start_date,
            "end_date": share.end_date,
            "consent_date": share.consent_date,
        },
    )
    add_timeline(
        case,
        actor,
        "werksaam",
        _("Gedeeld met WerkSaam (%(basis)s) vanaf %(start)s%(end)s")
        % {
            "basis": share.get_basis_display(),
            "start": share.start_date.strftime("%d-%m-%Y"),
            "end": _(" tot en met %(d)s") % {"d": share.end_date.strftime("%d-%m-%Y")}
            if share.end_date
            else "",
        },
    )
    webhooks.emit(
        "share.started", case=case, key=f"share.started:{share.pk}", data=_share_data(share)
    )
    return share


def _share_data(share) -> dict:
    return {
        "share": share.pk,
        "basis": share.basis,
        "start_date": share.start_date.isoformat(),
        "end_date": share.end_date.isoformat() if share.end_date else None,
    }


@transaction.atomic
def end_share(actor, share, *, reason: str, revoked: bool = False) -> Share:
    """End a share (the basis is gone) or record that the person revoked consent."""
    case = lock_editable_case(actor, share.inburgeraar_id, allow_closed=True)
    share = Share.objects.select_for_update().get(pk=share.pk, inburgeraar=case)
    if share.ended_at is not None:
        raise ValidationError(_("Deze deling is al beëindigd."))
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het beëindigen."))
    if revoked and share.basis != Share.Basis.CONSENT:
        raise ValidationError(
            _("Alleen een deling op basis van toestemming kan worden ingetrokken.")
        )
    share.ended_at = timezone.now()
    share.ended_by = actor
    share.end_reason = reason.strip()
    share.revoked = revoked
    share.save(update_fields=["ended_at", "ended_by", "end_reason", "revoked"])
    sync_werksaam_access(case)
    audit.changed(
        actor,
        share,
        old={"ended_at": None},
        new={"ended_at": share.ended_at.isoformat()},
        reason=share.end_reason,
    )
    add_timeline(
        case,
        actor,
        "werksaam",
        (
            _("Toestemming voor delen met WerkSaam ingetrokken: %(reason)s")
            if revoked
            else _("Delen met WerkSaam beëindigd: %(reason)s")
        )
        % {"reason": share.end_reason},
    )
    webhooks.emit(
        "share.ended",
        case=case,
        key=f"share.ended:{share.pk}",
        data={**_share_data(share), "revoked": revoked},
    )
    return share


def expire_shares(*, today=None) -> int:
    """The sweep: end shares whose end date has passed and bring every grant in line.

    Idempotent; each case in its own transaction. Returns the number of cases whose grant changed.
    """
    today = today or timezone.localdate()
    changed = 0
    due = Share.objects.filter(ended_at__isnull=True, end_date__lt=today).values_list(
        "inburgeraar_id", flat=True
    )
    organisation = werksaam()
    granted = InburgeraarGroupObjectPermission.objects.filter(
        group=organisation.group, permission__codename=PERMISSION
    ).values("content_object_id")
    # Shares that started (a start date in the future when recorded) but have no grant yet, and
    # grants without an active share (shares ended outside the services, e.g. in the admin).
    starting = (
        Share.objects.active(today)
        .exclude(inburgeraar_id__in=granted)
        .values_list("inburgeraar_id", flat=True)
    )
    orphaned = (
        InburgeraarGroupObjectPermission.objects.filter(
            group=organisation.group, permission__codename=PERMISSION
        )
        .exclude(content_object_id__in=Share.objects.active(today).values("inburgeraar_id"))
        .values_list("content_object_id", flat=True)
    )
    for case_id in sorted({*due, *starting, *orphaned}):
        if _expire_case(case_id, today=today) is not None:
            changed += 1
    return changed


def expire_case_if_due(case_id, *, today=None) -> None:
    """Called whenever a case is touched on WerkSaam's side: a share past its end date ends now,
    not at the next sweep."""
    today = today or timezone.localdate()
    if Share.objects.filter(
        inburgeraar_id=case_id, ended_at__isnull=True, end_date__lt=today
    ).exists():
        _expire_case(case_id, today=today)


def expire_all_due(*, today=None) -> None:
    """A cheap guard for WerkSaam's lists: one indexed EXISTS, the sweep only when needed."""
    today = today or timezone.localdate()
    if Share.objects.filter(ended_at__isnull=True, end_date__lt=today).exists():
        expire_shares(today=today)


@transaction.atomic
def _expire_case(case_id, *, today) -> bool | None:
    case = Inburgeraar.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        return None
    for share in Share.objects.select_for_update().filter(
        inburgeraar=case, ended_at__isnull=True, end_date__lt=today
    ):
        share.ended_at = timezone.now()
        share.end_reason = _("Einddatum bereikt")
        share.save(update_fields=["ended_at", "end_reason"])
        audit.changed(
            None,
            share,
            old={"ended_at": None},
            new={"ended_at": share.ended_at.isoformat()},
            reason=share.end_reason,
        )
        add_timeline(
            case,
            None,
            "werksaam",
            _("Delen met WerkSaam beëindigd: einddatum %(d)s bereikt")
            % {"d": share.end_date.strftime("%d-%m-%Y")},
        )
        webhooks.emit(
            "share.ended",
            case=case,
            key=f"share.ended:{share.pk}",
            data={**_share_data(share), "revoked": False},
        )
    changed = sync_werksaam_access(case, today=today)
    return changed


# --- WerkSaam's records ------------------------------------------------------------------------------

RECORD_MODELS = {
    "bijstand": Benefit,
    "ontzorgen": Unburdening,
    "map": MapProgress,
    "activiteit": Activity,
}

# Records a legal date depends on (the ontzorgen deadline): a change recomputes the case's deadlines.
DATED_RECORDS = (Benefit, Unburdening)


def shared_case_for_werksaam(actor, case_id) -> Inburgeraar:
    """The case locked for a WerkSaam write: 404 when not visible or no active share."""
    expire_case_if_due(case_id)
    try:
        case = (
            Inburgeraar.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .get(pk=getattr(case_id, "pk", case_id))
        )
    except Inburgeraar.DoesNotExist:
        raise Http404 from None
    if not is_werksaam_staff(actor):
        raise PermissionDenied
    if not Share.objects.filter(inburgeraar=case).active().exists():
        raise Http404
    return case


def _timeline_text(obj, created: bool) -> str:
    verb = _("vastgelegd") if created else _("gewijzigd")
    if isinstance(obj, Benefit):
        text = _("bijstand vanaf %(d)s") % {"d": obj.start_date.strftime("%d-%m-%Y")}
        if obj.end_date:
            text += _(" tot en met %(d)s") % {"d": obj.end_date.strftime("%d-%m-%Y")}
    elif isinstance(obj, Unburdening):
        text = _("ontzorgen (%(costs)s) vanaf %(d)s, gepland t/m %(e)s") % {
            "costs": ", ".join(obj.costs),
            "d": obj.start_date.strftime("%d-%m-%Y"),
            "e": obj.planned_end.strftime("%d-%m-%Y"),
        }
    elif isinstance(obj, MapProgress):
        text = _("MAP: %(status)s, %(hours)s uur") % {
            "status": obj.get_status_display().lower(),
            "hours": obj.hours_done,
        }
    else:
        text = f"{obj.get_kind_display().lower()}: {obj.name}"
    return _("WerkSaam: %(text)s %(verb)s") % {"text": text, "verb": verb}


@transaction.atomic
def add_record(actor, case, model, **values):
    """WerkSaam records a benefit, ontzorgen, MAP progress or a placement on a shared case."""
    case = shared_case_for_werksaam(actor, case)
    obj = model(inburgeraar=case, created_by=actor, **values)
    obj.full_clean(exclude=["inburgeraar", "created_by"])
    obj.save()
    audit.created(actor, obj, values=values)
    add_timeline(case, actor, "werksaam", _timeline_text(obj, created=True))
    if isinstance(obj, DATED_RECORDS):
        facts_changed(case)  # the ontzorgen deadline counts from bijstand start
    return obj


@transaction.atomic
def update_record(actor, obj, **values):
    case = shared_case_for_werksaam(actor, obj.inburgeraar_id)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk, inburgeraar=case)
    old = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["inburgeraar", "created_by"])
    if old == values:
        return obj
    obj.save()
    audit.changed(actor, obj, old=old, new=values)
    add_timeline(case, actor, "werksaam", _timeline_text(obj, created=False))
    if isinstance(obj, DATED_RECORDS):
        facts_changed(case)
    return obj


# --- events ------------------------------------------------------------------------------------


def unburdening_ending(*, today=None, weeks: int = 4) -> int:
    """Beat: an event for each ontzorgen period whose planned end is within `weeks`."""
    today = today or timezone.localdate()
    count = 0
    ending = Unburdening.objects.filter(
        ended_on__isnull=True,
        planned_end__gte=today,
        planned_end__lte=today + timedelta(weeks=weeks),
    ).select_related("inburgeraar__municipality")
    for item in ending:
        with transaction.atomic():
            count += len(
                webhooks.emit(
                    "unburdening.ending",
                    case=item.inburgeraar,
                    key=f"unburdening.ending:{item.pk}:{item.planned_end.isoformat()}",
                    data={"unburdening": item.pk, "planned_end": item.planned_end.isoformat()},
                )
            )
    return count
