"""Organisations (municipalities and the programme office), who belongs to them in which role, and their API tokens.

A person's rights always come from a membership: an editor of Malmö writes Malmö's drafts and nothing of
Lund's. Site administrators are Django superusers.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("kommun")
        PROGRAMME_OFFICE = "programme_office", _("programkansli")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=32, choices=Kind.choices)
    # A municipality's organisation is tied to its area: its data, practices and applications are that area's.
    area = models.OneToOneField(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="organisation",
                                limit_choices_to={"level": Area.Level.MUNICIPALITY}, verbose_name=_("kommun"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="municipality", area__isnull=False)
                | models.Q(kind="programme_office", area__isnull=True),
                name="organisation_area_matches_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a member may do. Municipality roles belong to a municipality, programme roles to the office."""

    EDITOR = "editor", _("redaktör")
    APPROVER = "approver", _("godkännare")
    REVIEWER = "reviewer", _("granskare")
    PROGRAMME_ADMIN = "programme_admin", _("programansvarig")


MUNICIPALITY_ROLES = (Role.EDITOR, Role.APPROVER)
PROGRAMME_ROLES = (Role.REVIEWER, Role.PROGRAMME_ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key for the API's write endpoints, scoped to one organisation. Only a hash is stored.

    The key is 32 random bytes: a fast hash (SHA-256) is enough, unlike for passwords that people choose.
    `prefix` lets the owner tell tokens apart in the list without the key being kept.
    """

    class Scope(models.TextChoices):
        OBSERVATIONS = "observations:write", _("skriva nyckeltalsvärden")
        PRACTICES = "practices:write", _("skriva goda arbetssätt")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, organisation: Organisation, name: str, scopes: list[str], created_by) -> tuple["ApiToken", str]:
        """A new token and its key; the key is shown once and never stored."""
        key = "mlm_" + secrets.token_urlsafe(32)
        token = cls.objects.create(organisation=organisation, name=name, prefix=key[4:12],
                                   key_hash=cls.hash_key(key), scopes=sorted(set(scopes)), created_by=created_by)
        return token, key

    @classmethod
    def for_key(cls, key: str) -> "ApiToken | None":
        return cls.objects.active().select_related("organisation").filter(key_hash=cls.hash_key(key)).first()

    def revoke(self, by) -> None:
        self.revoked_at, self.revoked_by = timezone.now(), by
        self.save(update_fields=["revoked_at", "revoked_by"])
