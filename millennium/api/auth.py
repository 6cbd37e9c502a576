"""Token authentication for the API's write endpoints: `Authorization: Bearer <key>`.

Keys are issued and revoked in the web (organisations.ApiToken; only their hash is stored). A write endpoint
asks for one scope; the token must carry it, and writes only its own organisation's data (the endpoints check
which areas). The session cookie plays no part: a signed-in browser without a key cannot write, so there is
nothing for a cross-site request to ride on (and no CSRF token is needed).
"""

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from millennium.organisations.models import ApiToken, Role
from millennium.organisations.roles import has_role


class TokenAuth(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, key: str) -> ApiToken | None:
        token = ApiToken.for_key(key)
        if token is None:
            return None  # unknown or revoked: 401
        # A key acts for the approver who created it: when they leave the organisation or lose the role, it stops.
        if not has_role(token.created_by, token.organisation, Role.APPROVER):
            return None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        if self.scope not in token.scopes:
            raise HttpError(403, f"this token lacks the scope {self.scope} (it has: "
                                 f"{', '.join(token.scopes) or 'none'}); expected a token with {self.scope}")
        return token
