from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("c/<slug:slug>/final-report/", views.final_report, name="final"),
    path("c/<slug:slug>/final-report/generate/", views.generate_final, name="final-generate"),
    path("c/<slug:slug>/final-report/settings/", views.final_settings, name="final-settings"),
    path(
        "c/<slug:slug>/final-report/sections/<int:pk>/edit/",
        views.edit_section,
        name="section-edit",
    ),
    path(
        "c/<slug:slug>/final-report/sections/<int:pk>/autosave/",
        views.autosave_section,
        name="section-autosave",
    ),
    path("c/<slug:slug>/publications/exports/", views.start_build, name="build-start"),
    path("c/<slug:slug>/publications/exports/<int:pk>/", views.build_status, name="build"),
    path(
        "c/<slug:slug>/publications/exports/<int:pk>/download/",
        views.build_download,
        name="build-download",
    ),
    path("c/<slug:slug>/storyboards/", views.storyboards, name="storyboards"),
    path("c/<slug:slug>/storyboards/<slug:team_slug>/", views.storyboard, name="storyboard"),
    path(
        "c/<slug:slug>/storyboards/<slug:team_slug>/edit/",
        views.edit_storyboard,
        name="storyboard-edit",
    ),
    path(
        "c/<slug:slug>/storyboards/<slug:team_slug>/autosave/",
        views.autosave_storyboard,
        name="storyboard-autosave",
    ),
    path(
        "c/<slug:slug>/storyboards/<slug:team_slug>/export.<str:fmt>",
        views.export_storyboard,
        name="storyboard-export",
    ),
    path("c/<slug:slug>/practice-model/", views.practice_model, name="model"),
    path("c/<slug:slug>/practice-model/create/", views.create_model, name="model-create"),
    path("c/<slug:slug>/practice-model/settings/", views.model_settings, name="model-settings"),
    path("c/<slug:slug>/practice-model/phases/new/", views.edit_phase, name="phase-new"),
    path("c/<slug:slug>/practice-model/phases/<int:pk>/edit/", views.edit_phase, name="phase-edit"),
    path("c/<slug:slug>/practice-model/practices/new/", views.edit_practice, name="practice-new"),
    path(
        "c/<slug:slug>/practice-model/practices/<int:pk>/edit/",
        views.edit_practice,
        name="practice-edit",
    ),
    path(
        "c/<slug:slug>/practice-model/next-package/",
        views.model_to_package,
        name="model-to-package",
    ),
    path("public/<slug:slug>/", views.public_page, name="public"),
]
