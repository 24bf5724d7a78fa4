from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/inzage/", views.inzage, name="inzage"),
]
