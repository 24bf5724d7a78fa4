from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipPlansConfig(AppConfig):
    name = "pip_plans"
    verbose_name = _("PIP")

    def ready(self):
        from intake.signals import intake_completed

        from . import pages, receivers

        pages.register()
        intake_completed.connect(
            receivers.open_draft_on_intake_completed, dispatch_uid="pip_plans.open_draft"
        )
