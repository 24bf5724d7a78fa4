from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("inburgeraars/<int:pk>/brieven/nieuw/<slug:kind>/", views.new_letter, name="new"),
    path("inburgeraars/<int:pk>/brieven/<int:letter_pk>/", views.letter_detail, name="detail"),
    path(
        "inburgeraars/<int:pk>/brieven/<int:letter_pk>/aanpassen/",
        views.letter_edit,
        name="edit",
    ),
    path(
        "inburgeraars/<int:pk>/brieven/<int:letter_pk>/concept.pdf",
        views.letter_preview,
        name="preview",
    ),
    path("inburgeraars/<int:pk>/brieven/<int:letter_pk>/pdf/", views.letter_pdf, name="pdf"),
    path(
        "inburgeraars/<int:pk>/brieven/<int:letter_pk>/gecontroleerd/",
        views.letter_checked,
        name="checked",
    ),
    path(
        "inburgeraars/<int:pk>/brieven/<int:letter_pk>/verzonden/",
        views.letter_sent,
        name="sent",
    ),
    path(
        "inburgeraars/<int:pk>/brieven/<int:letter_pk>/vervallen/",
        views.letter_discard,
        name="discard",
    ),
    path("inburgeraars/<int:pk>/bezwaren/nieuw/", views.new_bezwaar, name="new-bezwaar"),
    path("inburgeraars/<int:pk>/bezwaren/<int:bezwaar_pk>/", views.bezwaar_detail, name="bezwaar"),
    path(
        "inburgeraars/<int:pk>/bezwaren/<int:bezwaar_pk>/hoorzitting/",
        views.bezwaar_hearing,
        name="bezwaar-hearing",
    ),
    path(
        "inburgeraars/<int:pk>/bezwaren/<int:bezwaar_pk>/verdagen/",
        views.bezwaar_extend,
        name="bezwaar-extend",
    ),
    path(
        "inburgeraars/<int:pk>/bezwaren/<int:bezwaar_pk>/beslissen/",
        views.bezwaar_decide,
        name="bezwaar-decide",
    ),
]
