from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inburgeraars/", views.case_list, name="case-list"),
    path("inburgeraars/nieuw/", views.register, name="case-register"),
    path("inburgeraars/<int:pk>/", views.case_detail, name="case-detail"),
    path("inburgeraars/<int:pk>/bsn/", views.reveal_bsn, name="case-reveal-bsn"),
    path("inburgeraars/<int:pk>/overdragen/", views.transfer, name="case-transfer"),
    path("inburgeraars/<int:pk>/intake/plannen/", views.intake_plan, name="intake-plan"),
    path("inburgeraars/<int:pk>/intake/beginnen/", views.intake_begin, name="intake-begin"),
    path(
        "inburgeraars/<int:pk>/intake/sectie/<slug:section>/",
        views.intake_section,
        name="intake-section",
    ),
    path(
        "inburgeraars/<int:pk>/intake/<slug:kind>/toevoegen/",
        views.intake_item_add,
        name="intake-item-add",
    ),
    path(
        "inburgeraars/<int:pk>/intake/<slug:kind>/<int:item_pk>/verwijderen/",
        views.intake_item_remove,
        name="intake-item-remove",
    ),
    path(
        "inburgeraars/<int:pk>/intake/onderwerp/<int:topic_pk>/",
        views.intake_topic_note,
        name="intake-topic-note",
    ),
    path("inburgeraars/<int:pk>/intake/uitnodigen/", views.intake_invite, name="intake-invite"),
    path(
        "inburgeraars/<int:pk>/intake/uitnodiging/<int:invitation_pk>/",
        views.intake_attendance,
        name="intake-attendance",
    ),
    path("inburgeraars/<int:pk>/intake/afronden/", views.intake_complete, name="intake-complete"),
    path("inburgeraars/<int:pk>/intake/annuleren/", views.intake_cancel, name="intake-cancel"),
    path(
        "inburgeraars/<int:pk>/termijnen/",
        views.case_detail,
        {"tab": "termijnen"},
        name="case-deadlines",
    ),
    path("inburgeraars/<int:pk>/<slug:tab>/", views.case_detail, name="case-tab"),
]
