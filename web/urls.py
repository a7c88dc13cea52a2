"""The pages' URLs (Swedish paths). Two namespaces, as before the pages moved here:
``meetings`` for the people of a meeting and its public live view, ``minutes`` for the public
notice board, archive and verification."""

from django.urls import include, path

from web.views import (
    after_meeting,
    archive,
    big_screen,
    console,
    documents,
    home,
    language,
    minutes_review,
    notices,
    public_live,
    room,
    verify,
)

meeting_patterns = [
    path("", home.home, name="home"),
    path("sprak/", language.set_language, name="set_language"),
    path("moten/<int:meeting_id>/", room.meeting_room, name="room"),
    path("moten/<int:meeting_id>/sekreterare/", console.console, name="console"),
    path("moten/<int:meeting_id>/state.json", room.state, name="state"),
    path("moten/<int:meeting_id>/handlingar/<int:attachment_id>/", documents.document,
         name="document"),
    path("moten/<int:meeting_id>/protokoll/", minutes_review.review, name="minutes_review"),
    path("moten/<int:meeting_id>/protokoll/justera/", minutes_review.sign, name="minutes_sign"),
    path("moten/<int:meeting_id>/protokoll/utkast.pdf", minutes_review.preview_pdf,
         name="minutes_preview"),
    # Before the meeting (notices): kallelse, utskick, förhinder, substitutes, remote requests.
    path("moten/<int:meeting_id>/kallelse/", notices.notice, name="notice"),
    path("moten/<int:meeting_id>/utskick/", notices.sent_mail, name="sent_mail"),
    path("moten/<int:meeting_id>/forhinder/", notices.absence, name="absence"),
    path("moten/<int:meeting_id>/ersattare/<int:request_id>/", notices.substitute_answer,
         name="substitute_answer"),
    path("moten/<int:meeting_id>/distans/", notices.remote_ask, name="remote_request"),
    path("moten/<int:meeting_id>/distans/<int:request_id>/", notices.remote_answer,
         name="remote_decide"),
    path("moten/<int:meeting_id>/protokoll/utdrag/", after_meeting.after_meeting,
         name="minutes_after"),
    path("moten/<int:meeting_id>/protokoll/utdrag/<int:extract_id>.pdf",
         after_meeting.extract_pdf, name="extract_pdf"),
    path("moten/<int:meeting_id>/protokoll/arkivpaket.zip", after_meeting.archive_zip,
         name="archive_package"),
    path("offentligt/<int:meeting_id>/", public_live.public_live, name="public_live"),
    path("offentligt/<int:meeting_id>/storbild/", big_screen.big_screen, name="big_screen"),
    path("offentligt/<int:meeting_id>/state.json", public_live.public_state,
         name="public_state"),
]

public_minutes_patterns = [
    path("anslag/", archive.notice_board, name="notice_board"),
    path("arkiv/", archive.archive, name="archive"),
    path("arkiv/feed.atom", archive.archive_feed, name="feed"),
    path("arkiv.json", archive.archive_json, name="json"),
    path("protokoll/<int:publication_id>/", archive.minutes_page, name="minutes"),
    path("protokoll/<int:publication_id>/protokoll.pdf", archive.minutes_pdf, name="pdf"),
    path("verifiera/", verify.verify, name="verify"),
    path("verifiera/rot.pem", verify.root_pem, name="root_pem"),
]

urlpatterns = [
    path("", include((public_minutes_patterns, "minutes"))),
    path("", include((meeting_patterns, "meetings"))),
]
