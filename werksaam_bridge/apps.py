from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerksaamBridgeConfig(AppConfig):
    name = "werksaam_bridge"
    verbose_name = _("WerkSaam")

    def ready(self):
        from pip_plans.signals import pip_adopted

        from .events import queue_pip_adopted

        pip_adopted.connect(queue_pip_adopted, dispatch_uid="werksaam_bridge.pip_adopted")
