from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Inburgeraars")

    def ready(self):
        from . import pages, tabs

        tabs.register_case_tabs()
        pages.register()
