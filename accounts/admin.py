"""Users in the admin. A beheerder (not a superuser) manages accounts and their memberships, but
cannot make anyone a superuser, give staff status or permissions outside the role model, or
touch a superuser's account: staff status and admin groups follow the roles
(municipalities.services.sync_staff_access). Every membership change is an audit event; so is
a reset of a user's second factor."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import events as audit
from municipalities.admin import MembershipAuditMixin
from municipalities.models import Membership

from .models import User
from .second_factor import reset_devices

# django-otp's own admins would show every user's TOTP secret to whoever may view devices.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

ROLE_MODEL_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


class UserAddForm(UserCreationForm):
    """A new account always gets a password (Django 5.1's admin form allows one without)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(MembershipAuditMixin, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Taal"), {"fields": ("language",)}))
    add_form = UserAddForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            readonly = (*readonly, *ROLE_MODEL_FIELDS)
        return readonly

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Belt and braces beside the read-only fields: nothing outside the role model.
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from municipalities.services import sync_staff_access

        super().save_related(request, form, formsets, change)
        sync_staff_access(form.instance)

    @admin.action(description=_("Tweede factor herstellen (apparaten verwijderen)"))
    def reset_second_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            removed = reset_devices(user)
            audit.second_factor_reset(request.user, user, devices=removed)
        self.message_user(
            request,
            ngettext(
                "De tweede factor van %(count)d gebruiker is hersteld: bij de volgende keer "
                "inloggen stelt deze een nieuwe in.",
                "De tweede factor van %(count)d gebruikers is hersteld: bij de volgende keer "
                "inloggen stellen zij een nieuwe in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
