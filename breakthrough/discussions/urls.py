from django.urls import path

from . import views

app_name = "discussions"
urlpatterns = [
    path("c/<slug:slug>/discussions/", views.thread_list, name="list"),
    path("c/<slug:slug>/discussions/new/", views.new_thread, name="new"),
    path("c/<slug:slug>/discussions/email/", views.preferences, name="settings"),
    path("c/<slug:slug>/discussions/<int:pk>/", views.thread_detail, name="thread"),
    path("c/<slug:slug>/discussions/<int:pk>/edit/", views.edit_thread, name="edit-thread"),
    path("c/<slug:slug>/discussions/<int:pk>/pin/", views.pin_thread, name="pin"),
    path(
        "c/<slug:slug>/discussions/<int:pk>/posts/<int:post_pk>/edit/",
        views.edit_post,
        name="edit-post",
    ),
    path("c/<slug:slug>/notes/", views.note_list, name="notes"),
    path("c/<slug:slug>/notes/new/", views.new_note, name="new-note"),
    path("c/<slug:slug>/notes/<int:pk>/", views.note_detail, name="note"),
    path("c/<slug:slug>/notes/<int:pk>/edit/", views.edit_note, name="edit-note"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
