"""API clients are made with `manage.py create_api_client`, which shows the token once."""

from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "scopes", "token_prefix", "is_active", "last_used_at")
    list_filter = ("organisation", "is_active")
    fields = ("name", "organisation", "scopes", "is_active", "token_prefix", "last_used_at")
    readonly_fields = ("name", "organisation", "token_prefix", "last_used_at")

    def has_add_permission(self, request):
        return False
