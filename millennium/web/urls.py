from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/", views.find_municipality, name="find_municipality"),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
]
