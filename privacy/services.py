"""The privacy officer's actions: the inzage export, audited."""

from django.core.exceptions import PermissionDenied

from audit import events as audit

from . import inzage
from .selectors import privacy_municipalities

FORMATS = {"pdf": "application/pdf", "json": "application/json"}


def make_inzage(actor, case, *, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the export of everything held about `case`'s person,
    in `fmt` ("pdf" or "json"). Only a privacy officer of the case's municipality; audited."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if not privacy_municipalities(actor).filter(pk=case.municipality_id).exists():
        raise PermissionDenied
    data = inzage.collect(case)
    made_by = actor.get_full_name() or actor.username
    if fmt == "pdf":
        content = inzage.as_pdf(data, case=case, made_by=made_by)
    else:
        content = inzage.as_json(data, made_by=made_by)
    audit.inzage_made(actor, case, fmt=fmt)
    return content, FORMATS[fmt], f"inzage-inburgeraar-{case.pk}.{fmt}"
