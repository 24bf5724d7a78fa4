from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inburgeraars/", views.case_list, name="case-list"),
    path("inburgeraars/<int:pk>/", views.case_detail, name="case-detail"),
]
