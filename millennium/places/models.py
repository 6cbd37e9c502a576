"""Areas: Sweden, its regions and municipalities, and the statistical areas (RegSO, DeSO) within them."""

from django.db import models


class Area(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", "land"
        REGION = "region", "region"
        MUNICIPALITY = "municipality", "kommun"
        REGSO = "regso", "RegSO"
        DESO = "deso", "DeSO"
        CUSTOM = "custom", "eget område"

    # Official codes as strings: municipality codes keep their leading zero ("0114"). Gapminder's codes
    # for territories without an ISO code run longer ("USA_MINOR_OUT_ISL").
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry, simplified for maps")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
