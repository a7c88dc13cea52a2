"""The meeting domain's tables: the body and its people, meetings and agendas, the read tables
kept by commands, and the append-only event log that is the source of truth."""

from meetings.models.body import Body, BodyRole, Seat, Substitute
from meetings.models.debate import Proposal, SpeakerRequest
from meetings.models.log import MeetingEvent
from meetings.models.meeting import AgendaItem, Attachment, Meeting
from meetings.models.participation import Adjuster, Participant, Recusal, SeatService

__all__ = [
    "Adjuster",
    "AgendaItem",
    "Attachment",
    "Body",
    "BodyRole",
    "Meeting",
    "MeetingEvent",
    "Participant",
    "Proposal",
    "Recusal",
    "Seat",
    "SeatService",
    "SpeakerRequest",
    "Substitute",
]
