from django.urls import path

from . import entry_views, import_views, views

app_name = "measures"
DATA = "c/<slug:slug>/teams/<slug:team_slug>/data/"
urlpatterns = [
    path("c/<slug:slug>/measures/", views.measure_list, name="list"),
    path(DATA, entry_views.entry_index, name="entry-index"),
    path(DATA + "<str:month>/", entry_views.entry_edit, name="entry"),
    path(DATA + "<str:month>/autosave/", entry_views.entry_autosave, name="entry-autosave"),
    path(DATA + "<str:month>/reopen/", entry_views.entry_reopen, name="entry-reopen"),
    path(DATA + "<str:month>/skip/", entry_views.entry_skip, name="entry-skip"),
    path("c/<slug:slug>/data/import/", import_views.import_values, name="import"),
    path("c/<slug:slug>/data/import/commit/", import_views.import_commit, name="import-commit"),
    path("c/<slug:slug>/data/template/", import_views.download_template, name="template"),
    path("c/<slug:slug>/data/export/", import_views.export_values, name="export"),
    path("c/<slug:slug>/teams/<slug:team_slug>/measures/", views.team_measures, name="team"),
    path("c/<slug:slug>/measures/<str:code>/edit/", views.edit_measure, name="edit"),
]
