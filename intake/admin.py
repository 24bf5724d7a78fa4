from django.contrib import admin

from .models import IntakeTopic


@admin.register(IntakeTopic)
class IntakeTopicAdmin(admin.ModelAdmin):
    """Reference data: the further intake topics per municipality (the legal minimum is fixed)."""

    list_display = ("name", "municipality", "order", "is_active")
    list_filter = ("municipality", "is_active")
    search_fields = ("name",)
