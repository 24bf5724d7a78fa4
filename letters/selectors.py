"""Reads of letters and bezwaarschriften, through the one door."""

from django.shortcuts import get_object_or_404

from .models import Bezwaar, Letter


def letters_of(user, case):
    return Letter.objects.visible_to(user).filter(inburgeraar=case).select_related("invitation")


def bezwaren_of(user, case):
    return (
        Bezwaar.objects.visible_to(user)
        .filter(inburgeraar=case)
        .select_related("pip_version", "fine_letter")
    )


def visible_letter(user, case_pk: int, letter_pk: int) -> Letter:
    """The letter on the case in the URL; 404 for anyone outside the case's scope."""
    return get_object_or_404(
        Letter.objects.visible_to(user).select_related(
            "inburgeraar__municipality__letterhead", "invitation__intake", "pip_version", "bezwaar"
        ),
        pk=letter_pk,
        inburgeraar_id=case_pk,
    )


def visible_bezwaar(user, case_pk: int, bezwaar_pk: int) -> Bezwaar:
    return get_object_or_404(
        Bezwaar.objects.visible_to(user).select_related("pip_version", "fine_letter"),
        pk=bezwaar_pk,
        inburgeraar_id=case_pk,
    )
