from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Inburgeraars")

    def ready(self):
        from . import collation, pages, tabs

        collation.connect()

        tabs.register_case_tabs()
        pages.register()
