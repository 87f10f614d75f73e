from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from breakthrough.accounts.views import render_settings

from .access import get_token_for_user
from .actions import do_create_api_token, do_revoke_api_token
from .forms import ApiTokenForm


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    """Create a token and show it once, on the settings page itself (never in a redirect)."""
    form = ApiTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return render_settings(request, token_form=form, status=400)
    token, text = do_create_api_token(
        person=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        expires_at=form.expires_at,
    )
    response = render_settings(request, new_token=(token, text), status=201)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    do_revoke_api_token(token)
    messages.success(request, f"The token “{token.name}” was revoked; it no longer works.")
    return redirect("accounts:settings")


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/v1/ answer with the API's error body, not an HTML page."""
    return JsonResponse(
        {
            "status": 404,
            "code": "not_found",
            "message": f"No API endpoint at {request.path}; see /api/v1/docs.",
            "errors": [],
        },
        status=404,
    )


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database and the cache answer, else 503."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; say which
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("health-check", "ok", 10)
        checks["cache"] = "ok" if cache.get("health-check") == "ok" else "error: not stored"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
