from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inburgeraars/", views.case_list, name="case-list"),
    path("inburgeraars/nieuw/", views.register, name="case-register"),
    path("inburgeraars/<int:pk>/", views.case_detail, name="case-detail"),
    path("inburgeraars/toewijzen/", views.assign_many, name="case-assign-many"),
    path("inburgeraars/<int:pk>/toewijzen/", views.assign, name="case-assign"),
    path("inburgeraars/<int:pk>/gegevens/huishouden/", views.household, name="case-household"),
    path("inburgeraars/<int:pk>/gegevens/<slug:block>/", views.edit_block, name="case-block"),
    path("inburgeraars/<int:pk>/bsn/", views.reveal_bsn, name="case-reveal-bsn"),
    path("inburgeraars/<int:pk>/overdragen/", views.transfer, name="case-transfer"),
    path(
        "inburgeraars/<int:pk>/termijnen/",
        views.case_detail,
        {"tab": "termijnen"},
        name="case-deadlines",
    ),
    # Last: any registered tab by its slug.
    path("inburgeraars/<int:pk>/<slug:tab>/", views.case_detail, name="case-tab"),
]
