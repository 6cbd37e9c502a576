from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "millennium.places"
    verbose_name = "Areas"
