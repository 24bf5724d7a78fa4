from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from municipalities.models import Membership

from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Taal"), {"fields": ("language",)}))

    def save_related(self, request, form, formsets, change):
        from municipalities.services import sync_staff_access

        super().save_related(request, form, formsets, change)
        sync_staff_access(form.instance)
