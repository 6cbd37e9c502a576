"""schemathesis against the served OpenAPI document: a bounded number of examples per endpoint, no 5xx and
every response matching its schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from millennium.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the WSGI application itself, whose request signals close database connections that
    are inside a transaction: on PostgreSQL that would close the test's own connection mid-test. Django's test
    client disconnects the same handlers for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(db):
    """A key of Malmö's with every scope, so that the write endpoints are exercised past authentication."""
    from tests.api.tokens import issue

    return issue()[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, api_key):
    # The write endpoints' rules are not expressible in a schema (a stored key figure, an area within the
    # token's municipality, no row twice, a contact role without a phone number), so a schema-valid body may
    # rightly be refused with 422; every other check still applies to them.
    excluded = [positive_data_acceptance] if case.method == "POST" else []
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, excluded_checks=excluded)
