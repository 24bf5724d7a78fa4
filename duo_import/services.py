"""Writes for the DUO import: parse an upload into a batch, commit it, or cancel it.

Commit creates the new cases in one transaction with bulk inserts, re-checking everything that
may have changed since the preview (the user's municipalities, BSNs registered in the meantime), so
committing twice or committing a second upload of the same rows never creates a duplicate.
"""

import hashlib
import logging
import os
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from cases import services as case_services
from cases.models import LEGAL_DATE_FIELDS, CaseStatus, Inburgeraar
from cases.signals import facts_changed
from common.text import search_key

from . import parsing, selectors
from .models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)

BULK_BATCH_SIZE = 500
# Fields of a new case that the import may fill; listed in each case's audit entry (never values).
CASE_FIELDS = (
    "bsn",
    "v_nummer",
    "first_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "gender",
    "nationality",
    "doelgroep",
    "datum_kennisgeving",
    "datum_start_inburgeringsplicht",
    "datum_inschrijving_brp",
    "datum_koppeling",
    "street",
    "house_number",
    "postal_code",
    "city",
)


COMMIT_FIELDS = [
    "status",
    "committed_at",
    "created_count",
    "corrected_count",
    "new_count",
    "existing_count",
    "error_count",
]


class PendingRow(NamedTuple):
    pk: int
    row_number: int
    data: dict


class BatchNotCommittable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def neutral_message() -> str:
    # Said of a BSN registered in a municipality outside the user's scope: reveals nothing about it.
    return _("Deze regel kan niet worden verwerkt; neem contact op met de functioneel beheerder.")


def _error(column: str, message: str) -> dict:
    return {"column": column, "message": message}


def _municipality_errors(code: str | None, allowed: dict, region: set[str]) -> list[dict]:
    if not code:
        return []
    if code not in region:
        return [
            _error(
                "gemeentecode", _("%(code)s is geen gemeente in Westfriesland.") % {"code": code}
            )
        ]
    if code not in allowed:
        return [
            _error(
                "gemeentecode",
                _("U kunt voor deze gemeente (%(code)s) geen inburgeraars registreren.")
                % {"code": code},
            )
        ]
    return []


def parse_upload(user, uploaded_file) -> ImportBatch:
    """Read and check the file, store it as a batch in preview; ImportFileError if it is unreadable."""
    allowed = selectors.import_municipalities(user)
    if not allowed:
        raise PermissionDenied("No municipality in which this user may register cases.")
    if uploaded_file.size is not None and uploaded_file.size > parsing.MAX_FILE_BYTES:
        parsing.raise_too_large()
    raw = b"".join(uploaded_file.chunks())
    csv_file = parsing.read_csv(raw)
    region = selectors.region_codes()
    today = timezone.localdate()

    rows: list[ImportRow] = []
    for item in csv_file.records:
        cleaned, errors = parsing.clean_row(item.values, today=today)
        if item.too_many_fields:
            errors.insert(
                0,
                _error(
                    "",
                    _(
                        "Deze regel heeft meer kolommen dan de kopregel. Staat er een ; of , in "
                        "een waarde zonder aanhalingstekens eromheen?"
                    ),
                ),
            )
        errors += _municipality_errors(cleaned.get("gemeentecode"), allowed, region)
        row = ImportRow(
            row_number=item.row_number,
            bsn=cleaned.get("bsn", ""),
            data=item.values,
            errors=errors,
            outcome=ImportRow.Outcome.ERROR if errors else ImportRow.Outcome.NEW,
        )
        rows.append(row)

    _mark_duplicates(rows)

    # BSNs already registered in the region: one lookup per chunk, not per row.
    candidates = [row for row in rows if row.bsn and not _is_duplicate(row)]
    existing, visible = selectors.existing_bsns(user, (row.bsn for row in candidates))
    registered = selectors.visible_legal_dates(user, visible)
    for row in candidates:
        if row.bsn in visible:
            row.changes = corrections(registered[row.bsn], row.data, today=today)
            row.outcome = (
                ImportRow.Outcome.CORRECTION if row.changes else ImportRow.Outcome.EXISTING
            )
            row.errors = []
        elif row.bsn in existing:
            row.outcome = ImportRow.Outcome.ERROR
            row.errors = [_error("", neutral_message())]

    counts = _counts(rows)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            uploaded_by=user,
            filename=os.path.basename(getattr(uploaded_file, "name", "") or "")[:255]
            or "upload.csv",
            sha256=hashlib.sha256(raw).hexdigest(),
            encoding=csv_file.encoding,
            delimiter=csv_file.delimiter,
            ignored_columns=csv_file.ignored_columns,
            row_count=len(rows),
            new_count=counts[ImportRow.Outcome.NEW],
            existing_count=counts[ImportRow.Outcome.EXISTING],
            correction_count=counts[ImportRow.Outcome.CORRECTION],
            error_count=counts[ImportRow.Outcome.ERROR],
        )
        batch.municipalities.set(allowed.values())
        for row in rows:
            row.batch = batch
        ImportRow.objects.bulk_create(rows, batch_size=1000)
        audit.created(user, batch, reason=_("DUO-import geüpload"))
    logger.info(
        "duo_import.parsed",
        extra={
            "batch_id": batch.pk,
            "rows": batch.row_count,
            "rows_new": batch.new_count,
            "rows_existing": batch.existing_count,
            "rows_failed": batch.error_count,
        },
    )
    return batch


DUPLICATE_KEY = "_duplicate_of"


def _is_duplicate(row: ImportRow) -> bool:
    return any(error.get(DUPLICATE_KEY) for error in row.errors)


def _mark_duplicates(rows: list[ImportRow]) -> None:
    """A BSN that occurs more than once: later rows are errors; so is the first if the data differ."""
    first: dict[str, ImportRow] = {}
    for row in rows:
        if not row.bsn:
            continue
        earlier = first.setdefault(row.bsn, row)
        if earlier is row:
            continue
        row.errors.append(
            {
                **_error(
                    "bsn",
                    _("Dit BSN staat al in rij %(row)s van dit bestand.")
                    % {"row": earlier.row_number},
                ),
                DUPLICATE_KEY: earlier.row_number,
            }
        )
        row.outcome = ImportRow.Outcome.ERROR
        if row.data != earlier.data and not _is_duplicate(earlier):
            earlier.errors.append(
                {
                    **_error(
                        "bsn",
                        _(
                            "Dit BSN staat ook in rij %(row)s van dit bestand, met andere "
                            "gegevens. Controleer welke regel juist is."
                        )
                        % {"row": row.row_number},
                    ),
                    DUPLICATE_KEY: row.row_number,
                }
            )
            earlier.outcome = ImportRow.Outcome.ERROR


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(ImportRow.Outcome.values, 0)
    for row in rows:
        counts[row.outcome] += 1
    return counts


def commit_batch(user, batch: ImportBatch) -> dict[str, int]:
    """Create the batch's new cases; returns {"created", "existing", "errors"} for this commit.

    All or nothing: one transaction. Raises BatchNotCommittable when the batch is not in preview.
    """
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update().filter(pk=batch.pk, uploaded_by=user).first()
        )
        if locked is None:
            raise PermissionDenied("Only the uploader commits a batch.")
        if locked.status != ImportBatch.Status.PREVIEW:
            raise BatchNotCommittable(
                _("Deze import is al verwerkt of geannuleerd; er is niets meer geïmporteerd.")
            )
        original, batch = batch, locked
        allowed = selectors.import_municipalities(user)
        today = timezone.localdate()
        # Plain tuples, not model instances: 10,000 rows load in a fraction of the time.
        rows = [
            PendingRow(*values)
            for values in batch.rows.filter(outcome=ImportRow.Outcome.NEW)
            .order_by("row_number")
            .values_list("pk", "row_number", "data")
        ]

        failed: dict[int, list[dict]] = {}  # row pk -> errors
        candidates: list[tuple[PendingRow, Inburgeraar]] = []
        for row in rows:
            cleaned, errors = parsing.clean_row(row.data, today=today)
            code = cleaned.pop("gemeentecode", None)
            if not errors and code not in allowed:
                errors = [
                    _error(
                        "gemeentecode",
                        _("U kunt voor deze gemeente geen inburgeraars meer registreren."),
                    )
                ]
            if errors:
                failed[row.pk] = errors
                continue
            case = Inburgeraar(**cleaned, municipality=allowed[code], status=CaseStatus.AANGEMELD)
            case.search_name = search_key(case.full_name)
            candidates.append((row, case))

        # Registered since the preview (another batch, another caseworker): checked right before
        # the insert, inside the transaction; the unique BSN constraint guards the rest.
        existing, visible = selectors.existing_bsns(user, (case.bsn for _row, case in candidates))
        skipped: list[int] = []
        new: list[tuple[PendingRow, Inburgeraar]] = []
        for row, case in candidates:
            if case.bsn in visible:
                skipped.append(row.pk)
            elif case.bsn in existing:
                failed[row.pk] = [_error("", neutral_message())]
            else:
                new.append((row, case))

        cases = [case for _row, case in new]
        Inburgeraar.objects.bulk_create(cases, batch_size=BULK_BATCH_SIZE)
        _fill_missing_pks(cases)
        facts_changed(*cases)
        _audit_created_cases(user, batch, new)

        for chunk in selectors.chunks(skipped):
            ImportRow.objects.filter(pk__in=chunk).update(
                outcome=ImportRow.Outcome.EXISTING, errors=[]
            )
        for errors_key, row_pks in _group_by_errors(failed).items():
            for chunk in selectors.chunks(row_pks):
                ImportRow.objects.filter(pk__in=chunk).update(
                    outcome=ImportRow.Outcome.ERROR,
                    errors=[_error(column, message) for column, message in errors_key],
                )
        batch.rows.filter(outcome=ImportRow.Outcome.NEW).update(outcome=ImportRow.Outcome.CREATED)
        corrected = _apply_corrections(user, batch, allowed, today)

        result = {
            "created": len(cases),
            "corrected": corrected,
            "existing": len(skipped),
            "errors": len(failed),
        }
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.created_count = len(cases)
        batch.corrected_count = corrected
        batch.new_count = 0
        batch.existing_count += len(skipped)
        batch.error_count += len(failed)
        batch.save(update_fields=COMMIT_FIELDS)
        audit.transitioned(
            user,
            batch,
            field="status",
            old=ImportBatch.Status.PREVIEW,
            new=ImportBatch.Status.COMMITTED,
            reason=_("DUO-import geïmporteerd: %(n)s inburgeraars aangemaakt") % {"n": len(cases)},
        )
    for name in COMMIT_FIELDS:
        setattr(original, name, getattr(batch, name))
    logger.info(
        "duo_import.committed",
        extra={
            "batch_id": batch.pk,
            "cases_created": result["created"],
            "rows_existing": result["existing"],
            "rows_failed": result["errors"],
        },
    )
    return result


def corrections(registered: dict, data: dict, *, today) -> dict:
    """{field: [old, new]} (ISO dates) for the legal dates this row gives differently from the
    registered case. An empty or unreadable date in the file corrects nothing."""
    cleaned, _errors = parsing.clean_row(data, today=today)
    changes = {}
    for field in LEGAL_DATE_FIELDS:
        new = cleaned.get(field)
        old = registered.get(field)
        if new is not None and new != old:
            changes[field] = [old.isoformat() if old else None, new.isoformat()]
    return changes


def _apply_corrections(user, batch, allowed, today) -> int:
    """Each correction through the case's write path (permission, lock, audit with old and new
    values, timeline, deadlines recomputed), re-checked against the case as it is now."""
    rows = list(batch.rows.filter(outcome=ImportRow.Outcome.CORRECTION).order_by("row_number"))
    cases = {
        case.bsn: case
        for case in Inburgeraar.objects.editable_by(user).filter(bsn__in=[r.bsn for r in rows])
    }
    corrected = 0
    for row in rows:
        case = cases.get(row.bsn)
        cleaned, errors = parsing.clean_row(row.data, today=today)
        if case is None or errors or cleaned.get("gemeentecode") not in allowed:
            row.outcome, row.errors = ImportRow.Outcome.ERROR, [_error("", neutral_message())]
            row.save(update_fields=["outcome", "errors"])
            continue
        registered = {field: getattr(case, field) for field in LEGAL_DATE_FIELDS}
        changes = corrections(registered, row.data, today=today)
        if changes:
            case_services.update_case(
                user,
                case,
                values={field: cleaned[field] for field in changes},
                reason=_("DUO-import #%(batch)s, rij %(row)s: correctie")
                % {"batch": batch.pk, "row": row.row_number},
            )
            corrected += 1
        row.outcome = ImportRow.Outcome.CORRECTED if changes else ImportRow.Outcome.EXISTING
        row.changes = changes
        row.save(update_fields=["outcome", "changes"])
    return corrected


def _fill_missing_pks(cases: list[Inburgeraar]) -> None:
    """Databases that cannot return ids from a bulk insert: look them up by BSN, per chunk."""
    missing = [case for case in cases if case.pk is None]
    if not missing:
        return
    by_bsn = {case.bsn: case for case in missing}
    for chunk in selectors.chunks(list(by_bsn)):
        for bsn, pk in Inburgeraar.objects.filter(bsn__in=chunk).values_list("bsn", "pk"):
            by_bsn[bsn].pk = pk


def _audit_created_cases(user, batch, new) -> None:
    """One entry per created case, in bulk: which fields the row filled, never their values."""
    rows = {case.pk: row for row, case in new}
    audit.imported(
        user,
        [case for _row, case in new],
        fields=lambda case: [name for name in CASE_FIELDS if getattr(case, name) not in ("", None)],
        reason=lambda case: (
            _("DUO-import #%(batch)s, rij %(row)s")
            % {"batch": batch.pk, "row": rows[case.pk].row_number}
        ),
    )


def _group_by_errors(failed: dict[int, list[dict]]) -> dict[tuple, list[int]]:
    """Rows with the same errors share one UPDATE (in practice: a handful of distinct messages)."""
    groups: dict[tuple, list[int]] = {}
    for row_pk, errors in failed.items():
        key = tuple((error["column"], error["message"]) for error in errors)
        groups.setdefault(key, []).append(row_pk)
    return groups


def cancel_batch(user, batch: ImportBatch) -> None:
    """Stop a batch in preview and delete its rows (the personal data); the counts stay."""
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update().filter(pk=batch.pk, uploaded_by=user).first()
        )
        if locked is None:
            raise PermissionDenied("Only the uploader cancels a batch.")
        if locked.status != ImportBatch.Status.PREVIEW:
            raise BatchNotCommittable(_("Deze import is al verwerkt of geannuleerd."))
        locked.rows.all().delete()
        locked.status = ImportBatch.Status.CANCELLED
        locked.save(update_fields=["status"])
        audit.transitioned(
            user,
            locked,
            field="status",
            old=ImportBatch.Status.PREVIEW,
            new=ImportBatch.Status.CANCELLED,
            reason=_("DUO-import geannuleerd"),
        )
    batch.status = locked.status
