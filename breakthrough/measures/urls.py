from django.urls import path

from . import chart_views, dashboard_views, views

app_name = "measures"
urlpatterns = [
    path("c/<slug:slug>/measures/", views.measure_list, name="list"),
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
