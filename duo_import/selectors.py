"""Reads for the DUO import. Batches are visible to their uploader only; cases through the one door."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cases.models import LEGAL_DATE_FIELDS, Inburgeraar
from municipalities.models import CASE_ROLES, Organisation
from municipalities.selectors import municipalities, organisations_of

from .models import ImportBatch, ImportRow

# Rows per `bsn IN (...)` lookup: well under every database's limit on query parameters.
CHUNK_SIZE = 900


def chunks(items: list, size: int = CHUNK_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_municipalities(user) -> dict[str, Organisation]:
    """The municipalities, by CBS code, for which `user` may register cases (a case-writing role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    organisations = organisations_of(user, roles=CASE_ROLES).filter(
        kind=Organisation.Kind.GEMEENTE, cbs_code__isnull=False
    )
    return {organisation.cbs_code: organisation for organisation in organisations}


def region_codes() -> set[str]:
    """The CBS codes of the seven municipalities of the region."""
    return set(municipalities().exclude(cbs_code=None).values_list("cbs_code", flat=True))


def existing_bsns(user, bsns: Iterable[str]) -> tuple[set[str], set[str]]:
    """Of `bsns`: those registered anywhere in the region, and those among them `user` may see.

    Two queries per chunk of CHUNK_SIZE, however many rows the file has. The first set is used only
    to refuse a row with a neutral message: it never reaches the user.
    """
    wanted = sorted(set(bsns))
    existing: set[str] = set()
    visible: set[str] = set()
    for chunk in chunks(wanted):
        existing.update(Inburgeraar.objects.filter(bsn__in=chunk).values_list("bsn", flat=True))
        visible.update(
            Inburgeraar.objects.visible_to(user).filter(bsn__in=chunk).values_list("bsn", flat=True)
        )
    return existing, visible


def visible_legal_dates(user, bsns: Iterable[str]) -> dict[str, dict]:
    """BSN -> {legal date field: value} of the cases among `bsns` that `user` may see."""
    wanted = sorted(set(bsns))
    result: dict[str, dict] = {}
    for chunk in chunks(wanted):
        for row in (
            Inburgeraar.objects.visible_to(user)
            .filter(bsn__in=chunk)
            .values("bsn", *LEGAL_DATE_FIELDS)
        ):
            result[row.pop("bsn")] = row
    return result


def visible_case_ids(user, bsns: Iterable[str]) -> dict[str, int]:
    """BSN -> case id for the cases among `bsns` that `user` may see (for links on one page)."""
    wanted = sorted({bsn for bsn in bsns if bsn})
    result: dict[str, int] = {}
    for chunk in chunks(wanted):
        result.update(
            Inburgeraar.objects.visible_to(user).filter(bsn__in=chunk).values_list("bsn", "pk")
        )
    return result


def batches_of(user) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(uploaded_by=user)


def get_batch(user, pk) -> ImportBatch:
    """The batch, or Http404 when it does not exist or someone else uploaded it."""
    return get_object_or_404(batches_of(user), pk=pk)


def rows_of(batch: ImportBatch, *, only_errors: bool = False) -> QuerySet[ImportRow]:
    rows = batch.rows.order_by("row_number")
    if only_errors:
        rows = rows.filter(outcome=ImportRow.Outcome.ERROR)
    return rows


def earlier_uploads_of_same_file(batch: ImportBatch) -> QuerySet[ImportBatch]:
    """The uploader's earlier batches of byte-for-byte the same file."""
    return batches_of(batch.uploaded_by).filter(sha256=batch.sha256, pk__lt=batch.pk)
