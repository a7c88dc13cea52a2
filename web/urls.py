"""The pages' URLs (Swedish paths). Three namespaces: ``meetings`` for the people of a meeting
and its public live view, ``minutes`` for the public notice board, archive and verification
(both as before the pages moved here), and ``setup`` for setting up bodies, meetings and
agendas under ``/organisation/``."""

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
from web.views.setup import (
    agenda,
    body,
    meeting,
    meetings,
    offices,
    organisation,
    seats,
    substitutes,
)
from web.views.setup import (
    documents as setup_documents,
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

BODY = "organisation/organ/<int:body_id>/"
MEETING = "organisation/sammantraden/<int:meeting_id>/"
ITEM = MEETING + "punkter/<int:item_id>/"

#: Setting up (issue 15): the organisation administrator's bodies, the secretary's meetings.
setup_patterns = [
    path("organisation/", organisation.overview, name="organisation"),
    path("organisation/organ/nytt/", organisation.body_new, name="body_new"),
    path(BODY, body.body, name="body"),
    path(BODY + "platser/", seats.seat_new, name="seat_new"),
    path(BODY + "platser/<int:seat_id>/", seats.seat_edit, name="seat"),
    path(BODY + "platser/<int:seat_id>/ta-bort/", seats.seat_delete, name="seat_delete"),
    path(BODY + "ersattare/", substitutes.substitute_new, name="substitute_new"),
    path(BODY + "ersattare/<int:substitute_id>/", substitutes.substitute_edit,
         name="substitute"),
    path(BODY + "ersattare/<int:substitute_id>/flytta/", substitutes.substitute_move,
         name="substitute_move"),
    path(BODY + "ersattare/<int:substitute_id>/ta-bort/", substitutes.substitute_delete,
         name="substitute_delete"),
    path(BODY + "uppdrag/", offices.office_new, name="office_new"),
    path(BODY + "uppdrag/<int:office_id>/ta-bort/", offices.office_delete,
         name="office_delete"),
    path(BODY + "sammantraden/", meetings.meetings, name="meetings"),
    path(MEETING, meeting.meeting, name="meeting"),
    path(MEETING + "punkter/", agenda.item_new, name="item_new"),
    path(MEETING + "kopiera/", agenda.copy, name="copy"),
    path(ITEM, agenda.item_edit, name="item"),
    path(ITEM + "flytta/", agenda.item_move, name="item_move"),
    path(ITEM + "ta-bort/", agenda.item_delete, name="item_delete"),
    path(ITEM + "handlingar/", setup_documents.attachment_new, name="attachment_new"),
    path(ITEM + "handlingar/<int:attachment_id>/ta-bort/", setup_documents.attachment_delete,
         name="attachment_delete"),
]

urlpatterns = [
    path("", include((setup_patterns, "setup"))),
    path("", include((public_minutes_patterns, "minutes"))),
    path("", include((meeting_patterns, "meetings"))),
]
