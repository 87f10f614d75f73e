from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("accounts/settings/", views.settings_view, name="settings"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
