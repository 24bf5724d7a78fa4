from django.urls import path

from . import views

urlpatterns = [
    path("termijnen/", views.my_deadlines, name="my-deadlines"),
    path("termijnen/<int:pk>/afgehandeld/", views.complete, name="deadline-complete"),
    path("termijnen/agenda/", views.calendar_settings, name="calendar-settings"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("meldingen/", views.notifications, name="notifications"),
]
