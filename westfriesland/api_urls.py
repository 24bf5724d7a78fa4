"""One router for the whole API: each app keeps its endpoints in its own `api/` module."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from api.problems import NotFoundView
from cases.api.viewsets import InburgeraarViewSet
from deadlines.api.viewsets import DeadlineViewSet
from documents.api.viewsets import DocumentViewSet
from intake.api.viewsets import IntakeViewSet
from letters.api.viewsets import BezwaarViewSet, LetterViewSet
from pip_plans.api.viewsets import PipViewSet
from uitvoering.api import viewsets as uitvoering
from werksaam_bridge.api import viewsets as werksaam

router = DefaultRouter()
router.register("inburgeraars", InburgeraarViewSet, basename="inburgeraar")
router.register("intakes", IntakeViewSet, basename="intake")
router.register("pips", PipViewSet, basename="pip")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("documents", DocumentViewSet, basename="document")
router.register("letters", LetterViewSet, basename="letter")
router.register("bezwaren", BezwaarViewSet, basename="bezwaar")
router.register("shares", werksaam.ShareViewSet, basename="share")
router.register("werksaam/bijstand", werksaam.BenefitViewSet, basename="werksaam-benefit")
router.register("werksaam/ontzorgen", werksaam.UnburdeningViewSet, basename="werksaam-unburdening")
router.register("werksaam/map", werksaam.MapProgressViewSet, basename="werksaam-map")
router.register("werksaam/activiteiten", werksaam.ActivityViewSet, basename="werksaam-activity")
router.register("enrolments", uitvoering.EnrolmentViewSet, basename="enrolment")
router.register("attendance", uitvoering.AttendanceViewSet, basename="attendance")
router.register("exam-results", uitvoering.ExamResultViewSet, basename="exam-result")
router.register("progress-reviews", uitvoering.ProgressReviewViewSet, basename="progress-review")

# Last: an address no endpoint matches is a 404 problem (application/problem+json), not Django's
# HTML page.
urlpatterns = [*router.urls, re_path(r"^.*$", NotFoundView.as_view(), name="api-not-found")]
