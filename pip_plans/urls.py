from django.urls import path

from . import views

app_name = "pip_plans"

urlpatterns = [
    path("inburgeraars/<int:pk>/pip/concept/", views.draft, name="draft"),
]
