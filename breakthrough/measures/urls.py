from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("c/<slug:slug>/measures/", views.measure_list, name="list"),
]
