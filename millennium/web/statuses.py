"""How progress statuses read on the site, and their colour class, from best to worst."""

from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    # Open SDG / Statistics Canada
    "target_achieved": _("Målet är nått"),
    "substantial_progress": _("I rätt takt"),
    "moderate_progress": _("Framsteg, men takten behöver öka"),
    "limited_progress": _("Begränsade framsteg"),
    "deterioration": _("Försämring"),
    # World Bank MDG reference path
    "target_met": _("Målet är nått"),
    "likely": _("Troligt att nå målet"),
    "possible": _("Möjligt att nå målet"),
    "unlikely": _("Osannolikt att nå målet"),
    "very_unlikely": _("Mycket osannolikt att nå målet"),
    "not_available": _("Kan inte bedömas"),
}

# Level 0 (best) … 4 (worst), 5 = not assessed; the stylesheet colours .status-0 … .status-5.
STATUS_LEVELS = {
    "target_achieved": 0, "target_met": 0, "substantial_progress": 1, "likely": 1, "moderate_progress": 2,
    "possible": 2, "limited_progress": 3, "unlikely": 3, "deterioration": 4, "very_unlikely": 4,
    "not_available": 5,
}

METHOD_NAMES = {
    "opensdg": _("Open SDG:s metod (Statistiska centralbyrån i Kanada): jämför den årliga förändringstakten sedan "
                 "basåret med en önskad riktning eller med den takt som krävs för att nå målvärdet"),
    "mdg_path": _("Världsbankens referensbana för millenniemålen 1990–2015"),
}


def status_display(status: str) -> dict:
    return {"code": status, "label": STATUS_LABELS.get(status, status), "level": STATUS_LEVELS.get(status, 5)}
