from django.urls import path

from . import background, gender, regions, views

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/", views.find_municipality, name="find_municipality"),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
    path("kommun/<str:code>/jamstalldhet/", gender.municipality_gender, name="municipality_gender"),
    path("kommun/<str:code>/bakgrund/", background.municipality_background, name="municipality_background"),
    path("region/<str:code>/", regions.region, name="region"),
    path("region/<str:code>/<str:measure>/", regions.region_measure, name="region_measure"),
]
