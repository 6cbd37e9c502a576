from django.urls import path

from . import about, background, compare, downloads, gender, goal_page, maps, measure_page, municipality
from . import districts, regions, reporting, search, views
from .page_cache import cached_page as cached

# Pages that show data are cached per data version (web/page_cache.py): computed once per import, with an ETag.
# Not: the search form's redirect, the map's geometry file (its own ETag) and the downloads, which are quick
# and carry the time they were made.

urlpatterns = [
    path("", cached(views.home), name="home"),
    path("kommun/", views.find_municipality, name="find_municipality"),
    # Before kommun/<code>/: "sok" is not a municipality code.
    path("kommun/sok/", cached(search.municipality_search), name="municipality_search"),
    path("om/", cached(about.about), name="about"),
    path("metoder/", cached(about.methods), name="methods"),
    path("tillganglighet/", about.accessibility, name="accessibility"),
    path("kommun/<str:code>/", cached(municipality.municipality), name="municipality"),
    # <goal_code>: "11" for SDG goal 11, "mdg-1" for Millennium Development Goal 1 (web/goal_page.py).
    path("kommun/<str:code>/mal/<str:goal_code>/", cached(goal_page.municipality_goal), name="municipality_goal"),
    path("kommun/<str:code>/rapportering/", cached(reporting.municipality_reporting),
         name="municipality_reporting"),
    path("rapportering/", cached(reporting.reporting), name="reporting"),
    path("kommun/<str:code>/jamstalldhet/", cached(gender.municipality_gender), name="municipality_gender"),
    path("kommun/<str:code>/bakgrund/", cached(background.municipality_background),
         name="municipality_background"),
    path("kommun/<str:code>/nyckeltal/<str:measure>/", cached(measure_page.municipality_measure),
         name="municipality_measure"),
    path("kommun/<str:code>/nyckeltal/<str:measure>/data.csv", downloads.municipality_measure_csv,
         name="municipality_measure_csv"),
    path("kommun/<str:code>/nyckeltal/<str:measure>/data.xlsx", downloads.municipality_measure_xlsx,
         name="municipality_measure_xlsx"),
    path("region/<str:code>/", cached(regions.region), name="region"),
    path("region/<str:code>/<str:measure>/", cached(regions.region_measure), name="region_measure"),
    # A municipality's districts (its own figures, `millennium import areas-csv`); ?niva= picks the level.
    path("kommun/<str:code>/omraden/", cached(districts.municipality_districts), name="municipality_districts"),
    path("kommun/<str:code>/omraden/<str:measure>/", cached(districts.municipality_district_measure),
         name="municipality_district_measure"),
    path("omradesdata/mall.csv", districts.district_template, name="district_template_csv"),
    path("karta/", cached(maps.map_index), name="map"),
    path("karta/kommuner.json", maps.map_geometries, name="map_geometries"),
    path("karta/<str:measure_code>/", cached(maps.map_measure), name="map_measure"),
    path("jamfor/", cached(compare.compare), name="compare"),
]
