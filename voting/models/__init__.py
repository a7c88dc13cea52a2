"""The voting app's tables: proposition order, acclamations, votes and ballots, decisions.

They are read tables kept by the commands in ``voting.commands`` in the same transaction as
the event that records the change; the meeting log stays the source of truth. The secret
ballot tables (``VoterMark`` and ``SecretBallot``) are the one exception to "everything is in
the log": their contents are deliberately never logged (see docs/security.md).
"""

from voting.models.acclamation import Acclamation, VoteRequest
from voting.models.decision import Decision, ProtocolNote, ProtocolNoteAllowance, Reservation
from voting.models.order import AbstentionAnnouncement, PropositionOrder
from voting.models.proportional import ProportionalRequest
from voting.models.secret import CountedReceipt, SecretBallot, VoterMark
from voting.models.vote import Eligibility, KontraVoting, OpenBallot, Vote

__all__ = [
    "AbstentionAnnouncement",
    "Acclamation",
    "Decision",
    "Eligibility",
    "KontraVoting",
    "OpenBallot",
    "PropositionOrder",
    "ProportionalRequest",
    "ProtocolNote",
    "ProtocolNoteAllowance",
    "Reservation",
    "CountedReceipt",
    "SecretBallot",
    "Vote",
    "VoteRequest",
    "VoterMark",
]
