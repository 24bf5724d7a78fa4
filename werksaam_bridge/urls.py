from django.urls import path

from . import views

app_name = "werksaam_bridge"

urlpatterns = [
    path("inburgeraars/<int:pk>/werksaam/delen/", views.case_shares, name="case-shares"),
    path(
        "inburgeraars/<int:pk>/werksaam/delen/<int:share_pk>/beeindigen/",
        views.share_end,
        name="share-end",
    ),
    path("werksaam/", views.dashboard, name="dashboard"),
    path("werksaam/export.<str:fmt>", views.dashboard_export, name="dashboard-export"),
    path("werksaam/inburgeraars/<int:pk>/", views.werksaam_case, name="case"),
    path("werksaam/inburgeraars/<int:pk>/bsn/", views.werksaam_reveal_bsn, name="reveal-bsn"),
    path(
        "werksaam/inburgeraars/<int:pk>/<slug:kind>/toevoegen/",
        views.werksaam_record_add,
        name="record-add",
    ),
    path(
        "werksaam/inburgeraars/<int:pk>/<slug:kind>/<int:item_pk>/wijzigen/",
        views.werksaam_record_edit,
        name="record-edit",
    ),
]
