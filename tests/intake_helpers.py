"""Recording a missed invitation as a caseworker does: assess, see the consequence, confirm."""

from intake import services

BLAMEWORTHY = {
    "geldige_reden": False,
    "geldige_reden_toelichting": "Niets van gehoord; geen afmelding.",
    "verwijtbaar": True,
    "verwijtbaar_toelichting": "U was niet ziek en u had geen andere goede reden. U wist van de afspraak.",
}


def miss(user, invitation, **assessment):
    """Niet verschenen with the assessment (blameworthy unless told otherwise), confirming the
    consequence the confirmation step names."""
    values = {**BLAMEWORTHY, **assessment}
    shown = services.missed_preview(
        invitation, geldige_reden=values["geldige_reden"], verwijtbaar=values["verwijtbaar"]
    )
    return services.record_missed(user, invitation, confirmed_measure=shown.measure, **values)
