from django.urls import path

from . import views

app_name = "collaboratives"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.collaborative_detail, name="detail"),
    path("c/<slug:slug>/calendar/", views.calendar, name="calendar"),
    path("c/<slug:slug>/calendar/<int:pk>/", views.event_detail, name="event"),
    path("c/<slug:slug>/people/", views.people, name="people"),
    path(
        "c/<slug:slug>/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
    path("c/<slug:slug>/history/", views.history_list, name="history"),
    path(
        "c/<slug:slug>/history/<str:label>/<int:pk>/", views.history_record, name="history-record"
    ),
]

from . import activity_views  # noqa: E402  (pages of the activity feed and engagement grid)

urlpatterns += [
    path("c/<slug:slug>/activity/", activity_views.activity_feed, name="activity"),
    path("c/<slug:slug>/engagement/", activity_views.engagement_grid, name="engagement"),
]
