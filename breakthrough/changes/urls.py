from django.urls import path

from . import views

app_name = "changes"
urlpatterns = [
    path("c/<slug:slug>/change-package/", views.package_detail, name="current"),
    path("c/<slug:slug>/change-package/v<str:version>/", views.package_detail, name="package"),
    path(
        "c/<slug:slug>/change-package/v<str:version>/draft-next/",
        views.draft_version,
        name="draft-next",
    ),
    path(
        "c/<slug:slug>/change-package/v<str:version>/publish/",
        views.publish_version,
        name="publish",
    ),
    path("c/<slug:slug>/change-package/v<str:version>/nodes/add/", views.add_node, name="node-add"),
    path(
        "c/<slug:slug>/change-package/v<str:version>/nodes/<int:pk>/",
        views.node_detail,
        name="node",
    ),
    path(
        "c/<slug:slug>/change-package/v<str:version>/nodes/<int:pk>/edit/",
        views.edit_node,
        name="node-edit",
    ),
    path(
        "c/<slug:slug>/change-package/v<str:version>/nodes/<int:pk>/retire/",
        views.retire_node,
        name="node-retire",
    ),
    path("c/<slug:slug>/lessons/", views.lesson_list, name="lessons"),
    path("c/<slug:slug>/lessons/new/", views.new_lesson, name="lesson-new"),
    path("c/<slug:slug>/lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("c/<slug:slug>/lessons/<int:pk>/edit/", views.edit_lesson, name="lesson-edit"),
    path("c/<slug:slug>/lessons/<int:pk>/endorse/", views.endorse_lesson, name="lesson-endorse"),
]
