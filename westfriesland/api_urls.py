from rest_framework.routers import DefaultRouter

from intake.api.viewsets import InburgeraarViewSet

router = DefaultRouter()
router.register("inburgeraars", InburgeraarViewSet, basename="inburgeraar")

urlpatterns = router.urls
