from django.urls import path

from . import views

app_name = "pip_plans"

urlpatterns = [
    path("inburgeraars/<int:pk>/pip/concept/", views.draft, name="draft"),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/opslaan/", views.save_draft, name="save"
    ),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/aanbieden/", views.submit, name="submit"
    ),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/vaststellen/", views.adopt, name="adopt"
    ),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/terugsturen/",
        views.return_to_author,
        name="return",
    ),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/terugnemen/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "inburgeraars/<int:pk>/pip/versies/<int:version_pk>/concept-beschikking.pdf",
        views.concept_beschikking,
        name="concept-beschikking",
    ),
    path("inburgeraars/<int:pk>/pip/documenten/status/", views.documents_status, name="documents"),
    path("inburgeraars/<int:pk>/pip/nieuwe-versie/", views.new_version, name="new-version"),
    path("inburgeraars/<int:pk>/pip/vergelijken/", views.compare, name="compare"),
    path(
        "inburgeraars/<int:pk>/pip/documenten/<int:document_pk>/",
        views.document_download,
        name="document-download",
    ),
]
