"""Key figures (measures), their observations, where they came from and which import brought them."""

from pathlib import PurePath

from django.db import models

from millennium.frameworks.models import Goal, Indicator
from millennium.frameworks.models import Target as GoalTarget
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
    imported_by = models.CharField(max_length=150, blank=True, help_text="Who uploaded the file, if a person did")

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.source.code} {self.finished_at:%Y-%m-%d %H:%M}"

    @property
    def public_location(self) -> str:
        """The location as the public may see it: a file's name, not where it lay on the server."""
        if self.location.startswith("/"):
            return PurePath(self.location).name or self.location
        return self.location


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
    code = models.CharField(max_length=128, unique=True)
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
    target = models.ForeignKey(GoalTarget, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="measure_links")
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


class ObservationChange(models.Model):
    """A value an import batch changed: the value before and after, and the batch that had brought the old one.

    Only changes are recorded: the values a batch added are its own observations (Observation.batch), so a
    bulk import of millions of new rows writes nothing here.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="changes")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="changes")
    previous_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="changes_after")
    old_value = models.FloatField()
    new_value = models.FloatField()


class Target(models.Model):
    """What a key figure should reach: a value, a change relative to the base year, or only a direction.

    For all areas (area empty) or one. Who set it and why is kept, since a target is a political choice.
    """

    class Kind(models.TextChoices):
        DIRECTION = "direction", "endast riktning"
        ABSOLUTE = "absolute", "målvärde"
        RELATIVE = "relative", "andel av basårets värde"
        RELATIVE_GAP = "relative_gap", "andel av basårets avstånd till en gräns"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="targets")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DIRECTION)
    base_year = models.SmallIntegerField(default=2015)
    target_year = models.SmallIntegerField(default=2030)
    value = models.FloatField(null=True, blank=True,
                              help_text="Absolute: the target value. Relative gap: the limit, e.g. 100 %")
    factor = models.FloatField(null=True, blank=True,
                               help_text="Relative: 0.5 = halve the base-year value. Relative gap: 0.5 = halve "
                                         "the distance to the limit (MDG 7.C: halve the share without water)")
    set_by = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "area"], name="target_unique_area"),
            models.UniqueConstraint(fields=["measure"], condition=models.Q(area__isnull=True),
                                    name="target_unique_all_areas"),
        ]


class Assessment(models.Model):
    """Progress of one series (key figure × area × sex) by one method; derived, recomputed after changes."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assessments", db_index=False)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="assessments", db_index=False)
    sex = models.CharField(max_length=1, choices=Observation.Sex.choices)
    method = models.CharField(max_length=16)
    status = models.CharField(max_length=32)
    reason = models.CharField(max_length=200, blank=True)
    base_year = models.SmallIntegerField(null=True)
    base_value = models.FloatField(null=True)
    current_year = models.SmallIntegerField(null=True)
    current_value = models.FloatField(null=True)
    target_value = models.FloatField(null=True)
    progress_value = models.FloatField(null=True)
    score = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "area", "sex", "method"], name="assessment_unique_series")
        ]
        indexes = [models.Index(fields=["area", "method"], name="assessment_by_area")]


class AreaProgramme(models.Model):
    """An area programme (områdesprogram): a named group of a municipality's targeted sub-areas, followed
    against the rest of the city (`statistics.area_programmes`). All its areas are of one level."""

    municipality = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="area_programmes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_year = models.SmallIntegerField(null=True, blank=True,
                                          help_text="The year the programme began; the base year of its trend")
    areas = models.ManyToManyField(Area, related_name="in_programmes")
    # Part of the pages' data version (web/page_cache.py), so a new or changed programme shows at once.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="programme_unique_name")]

    def __str__(self) -> str:
        return self.name
