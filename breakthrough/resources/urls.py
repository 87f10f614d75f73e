from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("c/<slug:slug>/library/", views.resource_list, name="list"),
    path("c/<slug:slug>/library/new/", views.new_resource, name="new"),
    path("c/<slug:slug>/library/<int:pk>/", views.resource_detail, name="detail"),
    path("c/<slug:slug>/library/<int:pk>/edit/", views.edit_resource, name="edit"),
    path("c/<slug:slug>/library/<int:pk>/delete/", views.delete_resource, name="delete"),
    path("c/<slug:slug>/library/<int:pk>/download/", views.download_resource, name="download"),
]
