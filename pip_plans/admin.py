from django.contrib import admin

from audit.admin_reads import AuditedReadsAdmin
from common.admin import CaseScopedReadOnlyAdmin

from .models import LanguageSchool, Pip, PipDocument, PipVersion


@admin.register(LanguageSchool)
class LanguageSchoolAdmin(admin.ModelAdmin):
    """Reference data: the course providers a PIP can name."""

    list_display = ("name", "city", "certified", "is_active")
    list_filter = ("certified", "is_active")
    search_fields = ("name", "city")


@admin.register(Pip)
class PipAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    """PIPs are decisions; drafts change in the caseworker's screens (rules, four eyes)."""

    list_display = ("__str__", "dagtekening_initiele_pip", "termijn_start", "termijn_end")


@admin.register(PipVersion)
class PipVersionAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("__str__", "pip", "status", "route", "dagtekening", "adopted_by")
    list_filter = ("status", "route")


@admin.register(PipDocument)
class PipDocumentAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("__str__", "kind", "sha256", "size", "created_at")
    exclude = ("file",)
