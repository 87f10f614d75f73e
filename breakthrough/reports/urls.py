from django.urls import path

from . import faculty_views, session_views, views

app_name = "reports"
TEAM = "c/<slug:slug>/teams/<slug:team_slug>/reports/"
REPORT = TEAM + "<str:month>/"
SESSION = "c/<slug:slug>/sessions/<int:pk>/"
urlpatterns = [
    path("c/<slug:slug>/reports/", faculty_views.reports_home, name="home"),
    path("c/<slug:slug>/console/", faculty_views.console, name="console"),
    path("c/<slug:slug>/console/export/", faculty_views.console_export, name="console-export"),
    path("c/<slug:slug>/scores/", faculty_views.scores_overview, name="scores"),
    path("c/<slug:slug>/scale/", faculty_views.scale_detail, name="scale"),
    path("c/<slug:slug>/scale/edit/", faculty_views.edit_scale, name="edit-scale"),
    path("c/<slug:slug>/reports/settings/", faculty_views.report_settings, name="settings"),
    path("c/<slug:slug>/reminders/", faculty_views.reminders, name="reminders"),
    path("c/<slug:slug>/reminders/<int:pk>/", faculty_views.reminder_message, name="message"),
    path(TEAM, views.team_reports, name="team"),
    path(REPORT, views.report_detail, name="detail"),
    path(REPORT + "edit/", views.edit_report, name="edit"),
    path(REPORT + "autosave/", views.autosave_report, name="autosave"),
    path(REPORT + "reopen/", views.reopen_report, name="reopen"),
    path(REPORT + "skip/", views.skip_report, name="skip"),
    path(REPORT + "unskip/", views.unskip_report, name="unskip"),
    path(REPORT + "acknowledge/", views.acknowledge_report, name="acknowledge"),
    path(REPORT + "score/", views.score_report, name="score"),
    path(REPORT + "reconcile/", views.reconcile_report, name="reconcile"),
    path(REPORT + "pdf/", views.report_pdf, name="pdf"),
    path("c/<slug:slug>/sessions/", session_views.session_list, name="sessions"),
    path(SESSION, session_views.session_detail, name="session"),
    path(SESSION + "presenters/", session_views.add_presenter, name="add-presenter"),
    path(
        SESSION + "presenters/<int:presenter_id>/remove/",
        session_views.remove_presenter,
        name="remove-presenter",
    ),
    path(SESSION + "attendance/", session_views.record_attendance, name="attendance"),
    path(SESSION + "agenda/", session_views.add_agenda_item, name="add-agenda-item"),
    path(
        SESSION + "agenda/<int:item_id>/remove/",
        session_views.remove_agenda_item,
        name="remove-agenda-item",
    ),
    path(SESSION + "materials/", session_views.add_material, name="add-material"),
    path(
        SESSION + "materials/<int:material_id>/",
        session_views.download_material,
        name="material",
    ),
    path(SESSION + "storyboards/", session_views.upload_storyboard, name="upload-storyboard"),
    path(
        SESSION + "storyboards/<int:storyboard_id>/",
        session_views.download_storyboard,
        name="storyboard",
    ),
    path(
        SESSION + "storyboards/<int:storyboard_id>/review/",
        session_views.review_storyboard,
        name="review-storyboard",
    ),
]
