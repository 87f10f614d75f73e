from django.urls import path

from . import chart_views, dashboard_views, entry_views, import_views, views

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

# Charts and the collaborative dashboard.
T = "c/<slug:slug>/teams/<slug:team_slug>/measures/"
urlpatterns += [
    path("charts/vega-embed.js", chart_views.chart_js, name="chart_js"),
    path(T + "export.<str:fmt>", chart_views.team_export, name="team_export"),
    path(T + "<str:code>/", chart_views.team_chart, name="team_chart"),
    path(T + "<str:code>/notes/", chart_views.note_add, name="note_add"),
    path(T + "<str:code>/notes/<int:pk>/", chart_views.note_edit, name="note_edit"),
    path(T + "<str:code>/phases/", chart_views.phase_add, name="phase_add"),
    path(
        T + "<str:code>/phases/<int:pk>/withdraw/",
        chart_views.phase_withdraw,
        name="phase_withdraw",
    ),
    path(T + "<str:code>/goal/", chart_views.goal_set, name="goal_set"),
    path("c/<slug:slug>/measures/<str:code>/", dashboard_views.measure_dashboard, name="dashboard"),
    path(
        "c/<slug:slug>/measures/<str:code>/export.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
]
