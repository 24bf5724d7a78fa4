from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("inburgeraars/<int:pk>/documenten/upload/", views.upload, name="upload"),
    path(
        "inburgeraars/<int:pk>/documenten/<int:document_pk>/",
        views.download,
        name="download",
    ),
]
