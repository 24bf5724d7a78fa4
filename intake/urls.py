from django.urls import path

from . import views

urlpatterns = [
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
    path(
        "inburgeraars/<int:pk>/intake/uitnodiging/<int:invitation_pk>/niet-verschenen/",
        views.intake_missed,
        name="intake-missed",
    ),
    path(
        "inburgeraars/<int:pk>/intake/uitnodiging/<int:invitation_pk>/maatregel-intrekken/",
        views.intake_withdraw_measure,
        name="intake-withdraw-measure",
    ),
    path("inburgeraars/<int:pk>/intake/afronden/", views.intake_complete, name="intake-complete"),
    path("inburgeraars/<int:pk>/intake/annuleren/", views.intake_cancel, name="intake-cancel"),
]
