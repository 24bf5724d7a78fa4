from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerksaamBridgeConfig(AppConfig):
    name = "werksaam_bridge"
    verbose_name = _("WerkSaam")
