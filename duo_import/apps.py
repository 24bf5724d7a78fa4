from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuoImportConfig(AppConfig):
    name = "duo_import"
    verbose_name = _("Import DUO-kennisgevingen")
