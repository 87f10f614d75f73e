from django.urls import path

from . import views

app_name = "archives"
urlpatterns = [
    path("c/<slug:slug>/exports/", views.exports, name="exports"),
    path("c/<slug:slug>/exports/evaluator/", views.export_evaluator, name="export-evaluator"),
    path("c/<slug:slug>/exports/archive/", views.export_archive, name="export-archive"),
]
