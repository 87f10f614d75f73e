from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views
from .api import api

app_name = "api"
urlpatterns = [
    path("api/", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="docs"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", views.api_not_found),
    path("accounts/settings/tokens/", views.create_token, name="create-token"),
    path("accounts/settings/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
    path("health/", views.health, name="health"),
]
