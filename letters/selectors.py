"""Reads of letters and bezwaarschriften, through the one door."""

from django.shortcuts import get_object_or_404

from cases.access import case_work_q

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


def letters_for_municipality(user):
    """The letters the municipality reads through its API: the one door, narrowed to those who
    work the case (a case role in its municipality, a colleague standing in, the municipality's
    service account). An organisation grant (a WerkSaam share, the municipality that handed the
    case over) does not read the letters sent by the municipality now responsible."""
    return (
        Letter.objects.visible_to(user)
        .filter(case_work_q(user, path="inburgeraar"))
        .select_related("inburgeraar")
    )


def bezwaren_for_municipality(user):
    """The bezwaarschriften, for the same readers as `letters_for_municipality`."""
    return (
        Bezwaar.objects.visible_to(user)
        .filter(case_work_q(user, path="inburgeraar"))
        .prefetch_related("letters")
    )
