from django.urls import path

from . import views

app_name = "certificates"
P = "c/<slug:slug>/certificate-program/"
urlpatterns = [
    path(P, views.program_list, name="list"),
    path(f"{P}new/", views.program_form, name="new"),
    path(f"{P}<int:pk>/", views.program_detail, name="program"),
    path(f"{P}<int:pk>/edit/", views.program_form, name="edit"),
    path(f"{P}<int:pk>/modules/new/", views.module_form, name="new-module"),
    path(f"{P}<int:pk>/modules/<int:module_pk>/edit/", views.module_form, name="edit-module"),
    path(f"{P}<int:pk>/sessions/new/", views.session_form, name="new-session"),
    path(
        f"{P}<int:pk>/sessions/<int:session_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(f"{P}<int:pk>/participants/", views.participants, name="participants"),
    path(
        f"{P}<int:pk>/participants/<int:enrolment_pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(f"{P}<int:pk>/certificates/issue/", views.issue_certificates, name="issue"),
    path(f"{P}<int:pk>/capstones/<slug:team_slug>/", views.capstone, name="capstone"),
    path(
        f"{P}<int:pk>/capstones/<slug:team_slug>/autosave/",
        views.capstone_autosave,
        name="capstone-autosave",
    ),
    path(
        f"{P}<int:pk>/capstones/<slug:team_slug>/review/",
        views.capstone_review,
        name="capstone-review",
    ),
    path("certificates/<str:code>/certificate.pdf", views.download_certificate, name="download"),
    path("certificates/<str:code>/revoke/", views.revoke_certificate, name="revoke"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify-code"),
]
