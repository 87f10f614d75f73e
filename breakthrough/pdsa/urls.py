from django.urls import path

from . import collab_views, views

app_name = "pdsa"
urlpatterns = [
    path("c/<slug:slug>/pdsas/", views.overview, name="overview"),
    path("c/<slug:slug>/pdsas/library/", collab_views.library, name="library"),
    path("c/<slug:slug>/pdsas/ramps/<int:pk>/", views.ramp_detail, name="ramp"),
    path("c/<slug:slug>/pdsas/<int:pk>/", views.cycle_detail, name="detail"),
    path("c/<slug:slug>/pdsas/<int:pk>/edit/", views.edit_cycle, name="edit"),
    path("c/<slug:slug>/pdsas/<int:pk>/autosave/", views.autosave_cycle, name="autosave"),
    path("c/<slug:slug>/pdsas/<int:pk>/advance/", views.advance_cycle, name="advance"),
    path("c/<slug:slug>/pdsas/<int:pk>/step-back/", views.step_back_cycle, name="step-back"),
    path("c/<slug:slug>/pdsas/<int:pk>/decide/", views.decide_cycle, name="decide"),
    path("c/<slug:slug>/pdsas/<int:pk>/next/", views.start_next_cycle, name="next"),
    path("c/<slug:slug>/pdsas/<int:pk>/clone/", views.clone_cycle, name="clone"),
    path("c/<slug:slug>/pdsas/<int:pk>/delete/", views.delete_cycle, name="delete"),
    path("c/<slug:slug>/pdsas/<int:pk>/attachments/", views.add_attachment, name="attach"),
    path(
        "c/<slug:slug>/pdsas/<int:pk>/attachments/<int:attachment_id>/",
        views.download_attachment,
        name="attachment",
    ),
    path(
        "c/<slug:slug>/pdsas/<int:pk>/attachments/<int:attachment_id>/delete/",
        views.delete_attachment,
        name="attachment-delete",
    ),
    path("c/<slug:slug>/teams/<slug:team_slug>/pdsas/", views.team_board, name="board"),
    path("c/<slug:slug>/teams/<slug:team_slug>/pdsas/new/", views.new_cycle, name="new"),
    path(
        "c/<slug:slug>/teams/<slug:team_slug>/pdsas/new/autosave/",
        views.new_cycle_autosave,
        name="new-autosave",
    ),
    path("c/<slug:slug>/change-package/matrix/", collab_views.matrix, name="matrix"),
    path(
        "c/<slug:slug>/change-package/matrix/export.<str:fmt>",
        collab_views.matrix_export,
        name="matrix-export",
    ),
]
