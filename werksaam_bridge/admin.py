"""Admin for the bridge's configuration (API clients, webhook subscribers) and its logs.

Shares are read-only here: they start and end through the dossier (services), so the grant always
follows them. API clients are made with `manage.py create_api_client`, which shows the token once.
"""

from django.contrib import admin
from django.utils import timezone

from common.admin import CaseScopedReadOnlyAdmin, ReadOnlyAdminMixin

from .models import ApiClient, Share, WebhookDelivery, WebhookSubscriber


@admin.register(Share)
class ShareAdmin(CaseScopedReadOnlyAdmin):
    """Shares of the cases the user may see (the one door), read-only."""

    list_display = ("id", "inburgeraar_id", "basis", "start_date", "end_date", "ended_at")
    list_filter = ("basis",)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "scopes", "token_prefix", "is_active", "last_used_at")
    list_filter = ("organisation", "is_active")
    fields = ("name", "organisation", "scopes", "is_active", "token_prefix", "last_used_at")
    readonly_fields = ("name", "organisation", "token_prefix", "last_used_at")

    def has_add_permission(self, request):
        return False


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "url", "is_active")
    list_filter = ("organisation", "is_active")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log: attempts, status code, last error, delivered at."""

    list_display = (
        "delivery_id",
        "event_type",
        "subscriber",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "subscriber")
    actions = ["retry_now"]

    def get_actions(self, request):
        # The mixin hides bulk actions; the delivery log keeps its retry action.
        return admin.ModelAdmin.get_actions(self, request)

    def has_change_permission(self, request, obj=None):
        # Needed for the action; the form itself shows no editable field.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.action(description="Nu opnieuw proberen")
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=WebhookDelivery.Status.DELIVERED).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} aflevering(en) opnieuw ingepland.")
