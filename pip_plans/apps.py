from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipPlansConfig(AppConfig):
    name = "pip_plans"
    verbose_name = _("PIP")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the pip_adopted receivers)
