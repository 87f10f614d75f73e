"""One error body for every API failure: what is wrong, and where.

{"status": 422, "code": "invalid", "message": "2 problems in the request.",
 "errors": [{"loc": ["body", "values", 3, "numerator"], "message": "..."}]}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from breakthrough.concurrency import EditConflict

logger = logging.getLogger("breakthrough.api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class ErrorItem(Schema):
    loc: list[str | int]
    message: str


class ErrorOut(Schema):
    status: int
    code: str
    message: str
    errors: list[ErrorItem] = []


# Every operation documents these, so a client (and schemathesis) knows every body it may get.
ERROR_RESPONSES: dict[int, type[Schema]] = {
    code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 422, 429)
}


class ApiError(Exception):
    """Raised by endpoints: a status and a message, optionally with per-field problems."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body = {"status": status, "code": CODES.get(status, "error"), "message": message}
    body["errors"] = errors or []
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="breakthrough"'
    return response


def _pydantic_errors(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in raw:
        loc = [p for p in e.get("loc", ()) if p not in ("", None)]
        if loc[:2] == ["body", "payload"]:  # the endpoint's parameter name means nothing to clients
            del loc[1]
        message = str(e.get("msg", "invalid value"))
        if e.get("type") == "missing":
            message = "This field is required."
        out.append({"loc": list(loc), "message": message})
    return out


def install_error_handlers(api: NinjaAPI) -> None:
    def on_validation(request, exc: ValidationError):
        errors = _pydantic_errors(exc.errors)
        n = len(errors)
        return error_response(
            api, request, 422, f"{n} problem{'s' if n != 1 else ''} in the request.", errors
        )

    def on_api_error(request, exc: ApiError):
        return error_response(api, request, exc.status, exc.message, exc.errors)

    def on_throttled(request, exc: Throttled):
        return error_response(api, request, 429, "Too many requests with this token; slow down.")

    def on_authentication(request, exc: AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else ""
        return error_response(
            api,
            request,
            401,
            message or "Send a personal access token: 'Authorization: Bearer bt_…'.",
        )

    def on_http(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(
                api,
                request,
                400,
                getattr(request, "body_problem", "The request body is not valid JSON."),
                [{"loc": ["body"], "message": str(exc)}],
            )
        return error_response(api, request, exc.status_code, str(exc))

    def on_404(request, exc: Http404):
        return error_response(api, request, 404, str(exc) or "Not found.")

    def on_403(request, exc: PermissionDenied):
        return error_response(api, request, 403, str(exc) or "You may not do this.")

    def on_conflict(request, exc: EditConflict):
        errors = [
            {"loc": ["body", c.name], "message": f"Now {c.theirs!r}; you sent {c.yours!r}."}
            for c in exc.changes
        ]
        return error_response(
            api,
            request,
            409,
            f"{exc} Fetch it again and re-apply your change with the new edit_version.",
            errors,
        )

    def on_django_validation(request, exc: DjangoValidationError):
        errors = []
        if hasattr(exc, "error_dict"):
            for name, errs in exc.message_dict.items():
                loc = ["body"] if name == "__all__" else ["body", name]
                errors.extend({"loc": loc, "message": m} for m in errs)
        else:
            errors = [{"loc": ["body"], "message": m} for m in exc.messages]
        return error_response(api, request, 422, "The data do not pass the checks.", errors)

    def on_data_error(request, exc: DataError):
        # e.g. a NUL character or a number past the column's range: nothing was written (the
        # request's transaction rolled back), and the client's value is what is wrong.
        return error_response(
            api,
            request,
            422,
            "The request holds a value the database cannot store.",
            [{"loc": ["request"], "message": str(exc).splitlines()[0]}],
        )

    def on_too_big(request, exc: RequestDataTooBig):
        return error_response(api, request, 413, "The request body is too large.")

    def on_other(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "Something went wrong on the server.")

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(EditConflict, on_conflict)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(DataError, on_data_error)
    api.add_exception_handler(Exception, on_other)


def reject_nulls(changes: dict[str, Any], *, nullable: set[str]) -> dict[str, Any]:
    """A PATCH may leave a field out, but may set null only where the field allows it."""
    errors = [
        {"loc": ["body", name], "message": "This field may not be null."}
        for name, value in changes.items()
        if value is None and name not in nullable
    ]
    if errors:
        raise ApiError(422, "Some fields may not be null.", errors)
    return changes
