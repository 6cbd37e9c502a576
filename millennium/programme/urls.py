from django.urls import path

from . import registry_urls, views

# Names live in the "programme" namespace: {% url 'programme:application' pk %}. The registry helper's pages
# (registry_urls.py: the public registry, diplomas, reports) share it.
app_name = "programme"

# Not cached per data version like the statistics pages: what a page shows depends on who is signed in.
urlpatterns = [
    path("program/", views.programme_list, name="programmes"),
    path("program/<slug:slug>/", views.programme_detail, name="programme"),
    path("program/<slug:slug>/kriterier/", views.criteria_edit, name="criteria"),
    path("program/<slug:slug>/ansokningar/", views.application_list, name="applications"),
    path("program/<slug:slug>/ansok/", views.application_create, name="apply"),
    path("ansokan/<int:pk>/", views.application_detail, name="application"),
    path("ansokan/<int:pk>/svar/<int:criterion>/", views.answer_edit, name="answer"),
    path("ansokan/<int:pk>/granska/", views.review_edit, name="review"),
    path("ansokan/<int:pk>/beslut/", views.decision, name="decision"),
    path("ansokan/<int:pk>/bilaga/<int:answer>/", views.minutes, name="minutes"),
    path("ansokan/<int:pk>/<slug:action>/", views.application_transition, name="transition"),
    path("utmarkelse/<int:pk>/uppfoljning/", views.follow_up_start, name="follow_up"),
    path("inkorg/", views.inbox, name="inbox"),
    path("inkorg/last/", views.inbox_read, name="inbox_read"),
] + registry_urls.urlpatterns
