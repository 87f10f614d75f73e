from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("c/<slug:slug>/teams/<slug:team_slug>/", views.team_detail, name="detail"),
    path("c/<slug:slug>/teams/<slug:team_slug>/edit/", views.edit_team, name="edit"),
]
