"""The REST API (`/api/v1/`): one NinjaAPI, its routers, auth, rate limit and error bodies."""

from __future__ import annotations

import json

from ninja import NinjaAPI, Swagger
from ninja.parser import Parser

from .auth import TokenRateThrottle, read_auth
from .errors import install_error_handlers
from .routes import changes, collaboratives, measures, pdsa, reports, sessions

DESCRIPTION = """\
Read and change a collaborative's data with the same access rules as the web pages.

**Authentication.** Create a personal access token in your settings page and send it as
`Authorization: Bearer bt_…`. A read token may only read; a write token may also change what
you may change on the web.

**Errors** always have the same body: `status`, `code`, `message` and `errors`, a list of
`{loc, message}` saying where each problem is (e.g. `["body", "values", 3, "numerator"]`).

**Lists** are paginated with `limit` and `offset` and answer `{items, count}`.

**Rate limit.** Each token may make a limited number of requests a minute; past it the API
answers 429 with `Retry-After` (seconds).

**Small counts** of other teams are hidden (`suppressed: true`), as on the web.
"""


class ObjectParser(Parser):
    """Request bodies are JSON objects; say which of the two things is wrong."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError:
            request.body_problem = "The request body is not valid JSON."
            raise
        if not isinstance(data, dict):
            request.body_problem = "The request body must be a JSON object."
            raise ValueError(request.body_problem)
        return data


api = NinjaAPI(
    parser=ObjectParser(),
    title="Breakthrough API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=read_auth,
    throttle=[TokenRateThrottle()],
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", collaboratives.router)
api.add_router("", changes.router)
api.add_router("", measures.router)
api.add_router("", pdsa.router)
api.add_router("", reports.router)
api.add_router("", sessions.router)
