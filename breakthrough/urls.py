from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from breakthrough.accounts.forms import LoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("breakthrough.accounts.urls")),
    path("", include("breakthrough.collaboratives.urls")),
    path("", include("breakthrough.teams.urls")),
    path("", include("breakthrough.changes.urls")),
    path("", include("breakthrough.measures.urls")),
    path("", include("breakthrough.pdsa.urls")),
    path("", include("breakthrough.certificates.urls")),
    path("", include("breakthrough.discussions.urls")),
    path("", include("breakthrough.resources.urls")),
    path("", include("breakthrough.reports.urls")),
    path("", include("breakthrough.api.urls")),
    path("", include("breakthrough.archives.urls")),
    path("", include("breakthrough.publications.urls")),
]
