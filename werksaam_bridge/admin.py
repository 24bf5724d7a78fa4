"""Admin of the WerkSaam bridge.

Shares are read-only here: they start and end through the dossier (services), so the grant always
follows them.
"""

from django.contrib import admin

from audit.admin_reads import AuditedReadsAdmin
from common.admin import CaseScopedReadOnlyAdmin

from .models import Share


@admin.register(Share)
class ShareAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    """Shares of the cases the user may see (the one door), read-only."""

    list_display = ("id", "inburgeraar_id", "basis", "start_date", "end_date", "ended_at")
    list_filter = ("basis",)
