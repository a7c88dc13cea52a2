"""Public URLs of the minutes app (no login)."""

from django.urls import path

from minutes import views

app_name = "minutes"

urlpatterns = [
    path("anslag/", views.notice_board, name="notice_board"),
    path("arkiv/", views.archive, name="archive"),
    path("arkiv/feed.atom", views.archive_feed, name="feed"),
    path("arkiv.json", views.archive_json, name="json"),
    path("protokoll/<int:publication_id>/", views.minutes_page, name="minutes"),
    path("protokoll/<int:publication_id>/protokoll.pdf", views.minutes_pdf, name="pdf"),
    path("verifiera/", views.verify, name="verify"),
    path("verifiera/rot.pem", views.root_pem, name="root_pem"),
]
