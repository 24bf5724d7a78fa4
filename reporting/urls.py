from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("stuurinformatie/", views.figures, name="figures"),
    path("werkverdeling/", views.caseload, name="caseload"),
    path("stuurinformatie/export/", views.figures_export, name="figures-export"),
]
