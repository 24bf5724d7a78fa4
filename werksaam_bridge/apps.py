from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WerksaamBridgeConfig(AppConfig):
    name = "werksaam_bridge"
    verbose_name = _("WerkSaam")

    def ready(self):
        from cases.registry import register_full_bsn_basis
        from cases.signals import before_case_read
        from deadlines.rules import register_unburdening_source

        from . import models, receivers, selectors

        register_full_bsn_basis("werksaam", selectors.full_bsn_basis)
        # Ontzorgen's deadline counts from WerkSaam's recorded bijstand start (art. 56a).
        register_unburdening_source(models.bijstand_starts_for_unburdening)

        before_case_read.connect(
            receivers.expire_due_shares, dispatch_uid="werksaam_bridge.expire_due_shares"
        )
