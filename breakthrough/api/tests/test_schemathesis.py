"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Each operation gets generated requests (valid and invalid) on the test base, sent in-process
through the WSGI application with a director's write token: no 5xx, and every response must
match the schema (status code, content type, body). Bounded: a few examples per operation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

schemathesis = pytest.importorskip("schemathesis")
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.utils import timezone  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# What the API promises: never a 5xx, and every response as the schema documents it. (Checks
# that a business rule's 422 is a "rejected valid request" are left out: the schema cannot say
# that a measure code must exist.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Real identifiers of the test base, so requests reach the code behind the access checks.
KNOWN = {"slug": "testbsc", "team": "alder", "version": "1.0", "code": "M1", "month": "2024-01"}


@pytest.fixture
def keep_connection():
    """Requests go straight to the WSGI application, whose end-of-request signal would close the
    test's database connection (inside its transaction); Django's test client holds the signal
    back in the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world, settings, keep_connection):
    from breakthrough.api.actions import do_create_api_token

    settings.API_RATE_LIMIT = "off"
    _, text = do_create_api_token(
        person=world.dina,
        name="schemathesis",
        scope="write",
        expires_at=timezone.now() + timedelta(days=1),
    )
    return text


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, token):
    for name, value in KNOWN.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
