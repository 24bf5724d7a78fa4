from django.contrib import admin

from audit import events as audit
from audit.admin_reads import AuditedReadsAdmin
from common.admin import CaseScopedReadOnlyAdmin

from . import services
from .models import Deadline, MunicipalityDeadlineSettings, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "municipality",
        "offsets",
        "escalate_after_days",
        "send_time",
        "is_active",
    )
    list_filter = ("kind", "municipality", "is_active")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.configured(request.user, obj, fields=form.changed_data, created=not change)
        services.rearm_for_policy(obj)


@admin.register(MunicipalityDeadlineSettings)
class MunicipalityDeadlineSettingsAdmin(admin.ModelAdmin):
    list_display = ("municipality", "progress_review_interval_months")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.configured(request.user, obj, fields=form.changed_data, created=not change)
        # The new interval reshapes the progress reviews of the municipality's cases.
        case_ids = list(obj.municipality.inburgeraars.values_list("pk", flat=True))
        services.recompute_for_cases(case_ids)


@admin.register(Deadline)
class DeadlineAdmin(AuditedReadsAdmin, CaseScopedReadOnlyAdmin):
    """Read-only: deadlines follow from the case's dates."""

    list_display = ("kind", "inburgeraar_id", "municipality", "due_date", "state")
    list_filter = ("kind", "state", "municipality")
