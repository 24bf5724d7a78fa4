"""Webhook subscribers and the delivery log."""

from django.contrib import admin
from django.utils import timezone

from common.admin import ReadOnlyAdminMixin

from .models import WebhookDelivery, WebhookSubscriber


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
