from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deadlines"
    verbose_name = _("Termijnen en herinneringen")

    def ready(self):
        from cases.signals import case_facts_changed
        from pip_plans.signals import pip_submitted

        from . import pages, receivers

        pages.register()
        case_facts_changed.connect(
            receivers.recompute_on_facts_changed, dispatch_uid="deadlines.recompute"
        )
        pip_submitted.connect(
            receivers.notify_on_pip_submitted, dispatch_uid="deadlines.pip_submitted"
        )
