from django.urls import path

from . import views

app_name = "changes"
urlpatterns = [
    path("c/<slug:slug>/change-package/", views.package_detail, name="current"),
    path("c/<slug:slug>/change-package/v<str:version>/", views.package_detail, name="package"),
]
