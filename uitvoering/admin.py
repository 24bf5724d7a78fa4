"""Admin of the uitvoering. The records change through the dossier's Uitvoering tab (services),
so here they are read-only and scoped by the one door; the beheerder sets the verzuim threshold
per municipality."""

from django.contrib import admin

from audit.admin_reads import AuditedReadsAdmin
from common.admin import CaseScopedReadOnlyAdmin
from municipalities.models import Membership, Organisation, Role

from .models import Afronding, Attendance, Enrolment, ExamResult, ProgressReview, VerzuimThreshold


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("id", "inburgeraar_id", "school", "aanmelding_date", "actual_start")


@admin.register(Attendance)
class AttendanceAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("id", "enrolment_id", "period_start", "period_end", "hours_unexcused")


@admin.register(ProgressReview)
class ProgressReviewAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("id", "inburgeraar_id", "held_on")


@admin.register(ExamResult)
class ExamResultAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("id", "inburgeraar_id", "onderdeel", "result", "exam_date")


@admin.register(Afronding)
class AfrondingAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    list_display = ("id", "inburgeraar_id", "outcome", "on", "retention_until")


@admin.register(VerzuimThreshold)
class VerzuimThresholdAdmin(admin.ModelAdmin):
    """The beheerder's own municipalities only."""

    list_display = ("municipality", "max_unexcused_hours")

    def _own(self, request):
        return (
            Membership.objects.active()
            .filter(
                user=request.user,
                role=Role.BEHEERDER,
                organisation__kind=Organisation.Kind.GEMEENTE,
            )
            .values("organisation_id")
        )

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return (
            rows
            if request.user.is_superuser
            else rows.filter(municipality_id__in=self._own(request))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self._own(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
