"""schemathesis against the served OpenAPI document: a bounded number of examples per endpoint, no 5xx and
every response matching its schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from millennium.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
