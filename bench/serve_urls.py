"""The platform's URLs plus the baseline: a minimal Django view served the same way."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("breakthrough.urls")),
]
