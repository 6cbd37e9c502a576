"""Goal frameworks: MDG (8 goals, 21 targets, 60 indicators), SDG (17, 169, 252 codes) and local ones."""

from django.db import models
from django.utils.translation import get_language


class BilingualTitle(models.Model):
    """Titles in Swedish and English; `sv_official` tells whether the Swedish one is our own translation."""

    title_en = models.TextField()
    title_sv = models.TextField()
    sv_official = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv


class Framework(models.Model):
    class Kind(models.TextChoices):
        MDG = "mdg", "Millenniemålen (MDG)"
        SDG = "sdg", "Globala målen (SDG)"
        LOCAL = "local", "Lokala mål"

    code = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name_sv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.code


class Goal(BilingualTitle):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(max_length=8)
    number = models.PositiveSmallIntegerField()
    short_en = models.CharField(max_length=200)
    short_sv = models.CharField(max_length=200)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="goal_unique_code")]

    def __str__(self) -> str:
        return f"{self.framework.code.upper()} {self.code}"

    @property
    def short(self) -> str:
        return self.short_en if (get_language() or "sv").startswith("en") else self.short_sv


class Target(BilingualTitle):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(max_length=8)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["goal", "position"]
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="target_unique_code")]

    def __str__(self) -> str:
        return self.code


class Indicator(BilingualTitle):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    # MDG indicators 7.1–7.7 and 8.1–8.12 serve several targets each.
    targets = models.ManyToManyField(Target, related_name="indicators")
    code = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["goal", "position"]
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.code


class Crosswalk(models.Model):
    """How an MDG indicator lives on among the SDG indicators, reviewed by us row by row."""

    class Relation(models.TextChoices):
        DIRECT = "direct", "direkt"
        RELATED = "related", "närliggande"
        NONE = "none", "ingen"

    mdg_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sdg_successors")
    sdg_indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="mdg_predecessors"
    )
    relation = models.CharField(max_length=8, choices=Relation.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mdg_indicator", "sdg_indicator"], name="crosswalk_unique_pair")
        ]
