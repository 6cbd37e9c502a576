"""Key figures (measures), their observations, where they came from and which import brought them."""

from django.db import models

from millennium.frameworks.models import Goal, Indicator, Target
from millennium.places.models import Area


class Source(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    credit = models.CharField(max_length=200, help_text="Shown with every number, e.g. 'Källa: Kolada (RKA)'")
    url = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        DONE = "done", "klar"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="batches")
    location = models.TextField(help_text="The folder, file or request imported")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    files = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0, help_text="Rows without a value, skipped")

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.source.code} {self.finished_at:%Y-%m-%d %H:%M}"


class MeasureGroup(models.Model):
    """A source's own grouping of key figures, e.g. Kolada's 'Agenda 2030 - 17 mål'."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="groups")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=300)
    parent_code = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="group_unique_code")]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """A key figure (nyckeltal), e.g. Kolada N00945."""

    class Direction(models.TextChoices):
        UP = "up", "högre är bättre"
        DOWN = "down", "lägre är bättre"
        NONE = "", "ingen riktning"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="measures")
    code = models.CharField(max_length=64, unique=True)
    title_sv = models.TextField()
    title_en = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    unit = models.CharField(max_length=64, blank=True)
    divided_by_sex = models.BooleanField(default=False)
    municipality_type = models.CharField(max_length=1, blank=True, help_text="K kommun, L region, A alla")
    operating_area = models.CharField(max_length=300, blank=True)
    perspective = models.CharField(max_length=200, blank=True)
    publication_date = models.CharField(max_length=10, blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices, blank=True)
    natural_limit = models.FloatField(null=True, blank=True, help_text="A bound the value cannot pass, e.g. 100 %")
    groups = models.ManyToManyField(MeasureGroup, related_name="measures", blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_sv}"


class MeasureLink(models.Model):
    """A key figure mapped to a goal, and where it fits that precisely, to a target or an indicator."""

    class Relation(models.TextChoices):
        DIRECT = "direct", "direkt"
        PROXY = "proxy", "närmevärde"
        CONTEXT = "context", "sammanhang"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measure_links")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, blank=True, related_name="measure_links")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="measure_links"
    )
    relation = models.CharField(max_length=8, choices=Relation.choices, default=Relation.PROXY)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "goal"], name="link_unique_goal")]


class Observation(models.Model):
    class Sex(models.TextChoices):
        TOTAL = "T", "totalt"
        WOMEN = "K", "kvinnor"
        MEN = "M", "män"

    # No single-column indexes on measure and area: the unique key and `observation_by_area` lead
    # with them, and every extra index slows bulk imports of millions of rows.
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations", db_index=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations", db_index=False)
    year = models.SmallIntegerField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    value = models.FloatField()
    flags = models.CharField(max_length=16, blank=True, default="")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="observations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "area", "year", "sex"], name="observation_unique_key")
        ]
        # The municipality page reads every figure of one area; the unique key serves one figure's map.
        indexes = [models.Index(fields=["area", "measure", "sex", "year"], name="observation_by_area")]
