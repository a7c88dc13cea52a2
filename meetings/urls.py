"""URLs of the meeting pages (Swedish paths, like the public ones)."""

from django.urls import path

from meetings import views, views_minutes

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("moten/<int:meeting_id>/", views.meeting_room, name="room"),
    path("moten/<int:meeting_id>/sekreterare/", views.console, name="console"),
    path("moten/<int:meeting_id>/state.json", views.state, name="state"),
    path("moten/<int:meeting_id>/handlingar/<int:attachment_id>/", views.document,
         name="document"),
    path("moten/<int:meeting_id>/protokoll/", views_minutes.review, name="minutes_review"),
    path("moten/<int:meeting_id>/protokoll/justera/", views_minutes.sign, name="minutes_sign"),
    path("moten/<int:meeting_id>/protokoll/utkast.pdf", views_minutes.preview_pdf,
         name="minutes_preview"),
    path("offentligt/<int:meeting_id>/", views.public_live, name="public_live"),
    path("offentligt/<int:meeting_id>/state.json", views.public_state, name="public_state"),
]
