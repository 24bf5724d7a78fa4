from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from .lockout import on_user_locked_out
        from .middleware import start_idle_clock

        user_locked_out.connect(on_user_locked_out, dispatch_uid="accounts.audit_lockout")
        user_logged_in.connect(start_idle_clock, dispatch_uid="accounts.start_idle_clock")
