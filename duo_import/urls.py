from django.urls import path

from . import views

app_name = "duo_import"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/importeren/", views.commit, name="commit"),
    path("<int:pk>/annuleren/", views.cancel, name="cancel"),
]
