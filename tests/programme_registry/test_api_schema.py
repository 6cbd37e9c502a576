"""schemathesis against the served OpenAPI document, for the registry's endpoints only and with designations in
the database (the whole-API run in tests/api/ has none): no 5xx, every response matching its schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from millennium.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(path_regex="^/api/v1/programmes")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As in tests/api/test_schemathesis.py: the WSGI request signals would close the test's own connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_registry_endpoints_conform_to_their_schema(case, registry_data):
    case.call_and_validate()


def test_the_registry_endpoints_are_in_the_document():
    paths = set(schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).raw_schema["paths"])
    assert {"/api/v1/programmes", "/api/v1/programmes/{slug}/designations"} <= paths
