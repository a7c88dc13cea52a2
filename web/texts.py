"""The texts the live pages' one JS module (``static/klubba/meeting.js``) shows.

The module has no texts of its own: the page renders these, in the request's language, into
``ui_text``. The msgids are the English texts (``locale/sv/LC_MESSAGES/django.po``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetings.errors import error_codes, error_message


def error_texts() -> dict[str, str]:
    """Every domain error code's message (each app declares its own in ``ready()``)."""
    return {code: str(error_message(code)) for code in error_codes()}


def ui_text() -> dict[str, Any]:
    """Texts the JS module shows, in the request's language (the module has none of its own)."""
    return {
        "errors": error_texts(),
        "internal_error": _("Something went wrong. Nothing was changed."),
        "connected": _("Connected"),
        "connecting": _("Connecting…"),
        "disconnected": _("Connection lost. Reconnecting…"),
        "missed": _("(missed while the connection was down)"),
        "reconnected": _("Connection restored. Caught up with %(n)s events you missed."),
        "vote_opened": _("A vote has opened: %(q)s"),
        "vote_closed": _("The vote has closed."),
        "your_turn": _("It is your turn to speak."),
        "item_activated": _("Now handling: %(t)s"),
        "ballot_registered": _("Your ballot is registered."),
        "done": _("Done."),
        "n_of_m": _("%(n)s of %(m)s have voted"),
        "yes": _("Yes"), "no": _("No"), "abstain": _("Abstain"),
        "paused": _("The meeting is paused."),
        "adjourned": _("The meeting is adjourned."),
        "planned": _("The meeting has not been opened yet."),
        "open": _("The meeting is open."),
        "quorum_ok": _("Quorum: %(p)s of %(r)s required seats are served by members present."),
        "quorum_no": _("No quorum: %(p)s present, %(r)s required."),
        "none": _("None"),
        "nobody": _("Nobody"),
        "present": _("Present"), "absent": _("Absent"),
        "remote": _("Remote"), "in_room": _("In the room"),
        "confirmed": _("Confirmed"), "unconfirmed": _("Not confirmed"),
        "connection_up": _("Connected"), "connection_down": _("Not connected"),
        "serving_seat": _("You serve seat %(n)s."),
        "substitute": _("You are a substitute and do not serve now."),
        "recused": _("You have declared a conflict of interest (jäv) on this item."),
        "not_checked_in": _("You have not checked in."),
        "checked_in_unconfirmed": _("You are checked in; the secretary has not confirmed yet."),
        "checked_in": _("You are present."),
        "no_active_item": _("No item is being handled right now."),
        "has_floor": _("Has the floor: %(n)s"),
        "result": _("Result: %(ja)s yes, %(nej)s no, %(avstar)s abstain."),
        "outcome": {"ja": _("Yes won."), "nej": _("No won."), "tie": _("Tie.")},
        "receipt": _("Your receipt code: %(c)s"),
        "decision": _("Decision § %(p)s: %(t)s"),
        "acclamation_q": _("The chair asks: can the meeting approve “%(p)s”?"),
        "proposal": _("Proposal %(n)s"),
        "prepared": _("prepared proposal"),
        "secret": _("Secret ballot"),
        "open_vote": _("Open vote"),
        "question_against": _("Yes = proposal %(a)s, No = proposal %(b)s"),
        "question_single": _("Yes = approve proposal %(a)s, No = reject it"),
        "call_in": _("Call in"), "release": _("Release"), "confirm": _("Confirm"),
        "check_in": _("Check in"), "check_out": _("Check out"),
        "activate": _("Activate"), "close": _("Close"),
        "close_without_decision": _("Close without a decision"),
        "close_reason": _("Why no decision (e.g. Ärendet utgår)"),
        "withdraw": _("Withdraw"), "give_floor": _("Give the floor"),
        "record_jav": _("Record jäv"), "withdraw_jav": _("Withdraw jäv"),
        "put": _("Put to acclamation"), "vote_on": _("Vote on"),
        "waiting": _("waiting"), "speaking": _("speaking"),
        "reply": _("reply"),
        "substitute_short": _("substitute"),
        "request_vote": _("Ask for a vote (votering)"),
        "election": _("Election"),
        "cast_election": _("Cast my ballot"),
        "choose_up_to": _("Choose at most %(n)s. No choice is a blank ballot."),
        "elected": _("Elected: %(names)s"),
        "proportional": _("Proportional election"),
        "proportional_requests": _(
            "Asked for a proportional election (%(what)s, %(seats)s seats): %(n)s of the "
            "%(required)s needed."),
        "proportional_reached": _("Enough members asked: the election is proportional."),
        "members_election": _("members"),
        "substitutes_election": _("substitutes"),
        "proportional_group": _("%(label)s: %(votes)s votes, %(seats)s seats"),
        "substitutes_elected": _("Substitutes, in the order of their lists: %(names)s"),
        "blank_invalid": _("Blank: %(blank)s, invalid: %(invalid)s"),
        "reserve": _("Register a reservation against this decision"),
        "kontra_step": _("Kontraproposition step %(n)s: proposal %(a)s against proposal %(b)s."),
        "state": {"pending": _("Not yet handled"), "active": _("Being handled"),
                  "closed": _("Handled")},
        "event": event_texts(),
        "kinds": {
            "prepared": _("Prepared proposal"), "bifall": _("Approve"),
            "avslag": _("Reject"), "andring": _("Amendment"), "tillagg": _("Addition"),
            "aterremiss": _("Refer back"), "bordlaggning": _("Table"),
        },
        "roles": {"member": _("Member (ledamot)"), "substitute": _("Substitute (ersättare)"),
                  "secretary": _("Secretary"), "official": _("Official (tjänsteperson)"),
                  "guest": _("Guest")},
        "roster_reason": {"absent": _("absent"), "recused": _("jäv"), "vacant": _("vacant")},
    }


def event_texts() -> dict[str, str]:
    """One line per event type for the 'what happened' list."""
    return {
        "meeting.opened": _("The meeting was opened."),
        "meeting.paused": _("The meeting was paused."),
        "meeting.resumed": _("The meeting was resumed."),
        "meeting.adjourned": _("The meeting was adjourned."),
        "roll_call.started": _("Roll call started."),
        "attendance.checked_in": _("%(name)s checked in."),
        "attendance.checked_out": _("%(name)s checked out."),
        "attendance.confirmed": _("Attendance confirmed."),
        "agenda.approved": _("The agenda was approved."),
        "adjusters.chosen": _("Adjusters were chosen."),
        "item.activated": _("Item %(title)s is being handled."),
        "item.closed": _("Item %(title)s was closed."),
        "substitute.called_in": _("A substitute was called in."),
        "substitute.released": _("A substitute was released."),
        "recusal.declared": _("%(name)s declared jäv."),
        "recusal.recorded": _("Jäv was recorded for %(name)s."),
        "recusal.withdrawn": _("Jäv was withdrawn for %(name)s."),
        "speaker.requested": _("%(name)s asked to speak."),
        "speaker.withdrawn": _("A speaker request was withdrawn."),
        "speaker.floor_given": _("%(name)s has the floor."),
        "speaker.done": _("The speaker is done."),
        "proposal.made": _("A proposal was made."),
        "proposal.withdrawn": _("A proposal was withdrawn."),
        "proposition_order.set": _("The order of proposals was set."),
        "proposition_order.approved": _("The order of proposals was approved."),
        "acclamation.put": _("A proposal was put to acclamation."),
        "vote.requested": _("A vote was requested."),
        "election.proportional_requested": _("%(name)s asked for a proportional election."),
        "acclamation.decided": _("Decided by acclamation."),
        "vote.opened": _("A vote was opened."),
        "ballot.cast": _("A ballot was cast."),
        "vote.closed": _("The vote was closed."),
        "vote.voided": _("The vote was voided."),
        "decision.recorded": _("Decision § %(paragraph)s was recorded."),
        "reservation.registered": _("A reservation was registered."),
        "minutes.locked": _("The minutes were locked."),
        "minutes.signed": _("%(name)s signed the minutes."),
        "minutes.posted": _("The minutes were posted."),
        "presence.lost": _("A connection was lost."),
        "presence.connected": _("A participant connected."),
        "presence.expired": _("A participant's connection expired."),
        "quorum.changed": _("The quorum changed."),
        "redacted": _("(Not public.)"),
        "other": _("Something happened (%(type)s)."),
    }

