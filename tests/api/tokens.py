"""API tokens of real organisations for the write tests: Malmö's (1280) and Lund's (1281)."""

from django.contrib.auth.models import User

from millennium.organisations.models import ApiToken, Membership, Organisation, Role
from millennium.places.models import Area
from millennium.statistics.models import Measure, Source

ALL_SCOPES = [ApiToken.Scope.OBSERVATIONS, ApiToken.Scope.PRACTICES]


def organisation(code: str) -> Organisation:
    area = Area.objects.get(code=code)
    found, _ = Organisation.objects.get_or_create(area=area, defaults={"name": area.name, "kind": "municipality"})
    return found


def issue(code: str = "1280", scopes=ALL_SCOPES, username: str = "api-writer") -> tuple[ApiToken, str]:
    """A token created by an approver of the municipality, as the web allows."""
    user, _ = User.objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, organisation=organisation(code), role=Role.APPROVER)
    return ApiToken.issue(organisation(code), f"{code} system", list(scopes), user)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def own_measure(kommun: str = "1280", code: str = "trygghet") -> Measure:
    """A municipality's own key figure, as `millennium import areas-csv` creates it."""
    source, _ = Source.objects.get_or_create(code="egen-data", defaults={"name": "Kommunens egna data",
                                                                         "credit": "Källa: kommunens egna data"})
    measure, _ = Measure.objects.get_or_create(code=f"local:{kommun}:{code}",
                                               defaults={"source": source, "title_sv": "Trygghet"})
    return measure
