from django.urls import path

from . import views

app_name = "uitvoering"

case = "inburgeraars/<int:pk>/uitvoering/"
urlpatterns = [
    path(f"{case}aanbod/", views.enrol, name="enrol"),
    path(f"{case}aanbod/<int:enrolment_pk>/", views.update_enrolment, name="enrolment-update"),
    path(f"{case}presentie/", views.attendance, name="attendance"),
    path(f"{case}voortgang/", views.review, name="review"),
    path(f"{case}examen/", views.exam_result, name="exam-result"),
    path(f"{case}ontheffing/", views.exam_decision, name="exam-decision"),
    path(f"{case}map-pvt/", views.completion, name="completion"),
    path(f"{case}verlenging/", views.verlenging, name="verlenging"),
    path(
        f"{case}verlenging/<int:verlenging_pk>/besluit/",
        views.verlenging_decision,
        name="verlenging-decision",
    ),
    path(f"{case}afronden/", views.afronden, name="afronden"),
    path(f"{case}verhuizen/", views.move_out, name="move-out"),
    path(f"{case}overdracht.pdf", views.summary_download, name="summary-download"),
    path("examenresultaten/importeren/", views.exam_import, name="exam-import"),
    path(
        "examenresultaten/importeren/verwerken/",
        views.exam_import_confirm,
        name="exam-import-confirm",
    ),
    path("taalschool/", views.school_home, name="school-home"),
    path("taalschool/presentie/", views.school_upload, name="school-upload"),
    path(
        "taalschool/presentie/verwerken/", views.school_upload_confirm, name="school-upload-confirm"
    ),
]
