"""Organisations (municipalities and the programme office), who belongs to them in which role, and their API tokens.

A person's rights always come from a membership: an editor of Malmö writes Malmö's drafts and nothing of
Lund's. Site administrators are Django superusers.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area


def hash_secret(secret: str) -> str:
    """How a random secret (an API key, an invitation link's token) is stored: its SHA-256, never itself.

    The secrets are 32 random bytes, so a fast hash is enough, unlike for passwords that people choose.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


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
        return hash_secret(key)

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


INVITATION_DAYS = 7


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed link that makes its holder a member of an organisation in one role.

    Like an API key, the link's token is random and only its SHA-256 is stored: whoever reads the database
    cannot accept someone else's invitation. It works once and for INVITATION_DAYS days.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    email = models.EmailField(_("e-postadress"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}, {self.organisation}"

    @classmethod
    def issue(cls, organisation: Organisation, role: str, email: str, invited_by) -> tuple["Invitation", str]:
        """A new invitation and the token for its link; the token is sent by e-mail and never stored."""
        token, now = secrets.token_urlsafe(32), timezone.now()
        invitation = cls.objects.create(organisation=organisation, role=role, email=email.strip(),
                                        token_hash=hash_secret(token), invited_by=invited_by,
                                        created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
        return invitation, token

    @classmethod
    def for_token(cls, token: str) -> "Invitation | None":
        """The invitation of a link's token, whatever its state (the page explains an expired or used one)."""
        return (cls.objects.select_related("organisation", "invited_by")
                .filter(token_hash=hash_secret(token)).first())

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired


class MembershipEvent(models.Model):
    """The history of an organisation's members: who invited, added or removed whom, and when.

    Kept as text as well as links, so the record survives when a user is deleted.
    """

    class Action(models.TextChoices):
        INVITED = "invited", _("inbjuden")
        INVITATION_CANCELLED = "invitation_cancelled", _("inbjudan återkallad")
        JOINED = "joined", _("blev medlem")
        REMOVED = "removed", _("borttagen")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="membership_events")
    action = models.CharField(max_length=32, choices=Action.choices)
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    subject = models.CharField(_("vem"), max_length=254, help_text="user name or invited e-mail address")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
