from django.apps import apps
from rest_framework.routers import DefaultRouter

from intake.api.viewsets import InburgeraarViewSet
from werksaam_bridge.api import viewsets as bridge

router = DefaultRouter()
router.register("inburgeraars", InburgeraarViewSet, basename="inburgeraar")
router.register("intakes", bridge.IntakeViewSet, basename="intake")
router.register("pips", bridge.PipViewSet, basename="pip")
router.register("shares", bridge.ShareViewSet, basename="share")
router.register("werksaam/bijstand", bridge.BenefitViewSet, basename="werksaam-benefit")
router.register("werksaam/ontzorgen", bridge.UnburdeningViewSet, basename="werksaam-unburdening")
router.register("werksaam/map", bridge.MapProgressViewSet, basename="werksaam-map")
router.register("werksaam/activiteiten", bridge.ActivityViewSet, basename="werksaam-activity")
if apps.is_installed("deadlines"):
    from werksaam_bridge.api.deadlines import DeadlineViewSet

    router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns = router.urls
