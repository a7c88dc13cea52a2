"""Fold handlers for who presided over each § and for dropped remote links.

A dropped link is told once per §, in one line that grows as the § goes on: when it dropped,
the pause it caused, when the member was back and whether they took part in the decision
(domain.md "Attendance, remote participation, quorum"). Who presided is named on every §
led by someone other than the chair, and where it changed.
"""

from __future__ import annotations

from meetings.events import MeetingEventType as E
from minutes.fold.state import Disconnection, FoldState, Handler, ParagraphDraft, local_time
from minutes.model import LogEvent

OFFICES = {"chair": "ordförande", "vice_chair": "vice ordförande", "member": "ledamot"}
REASONS = {
    "chair_absent": "ordföranden är frånvarande",
    "chair_left": "ordföranden har lämnat sammanträdet",
    "chair_recused": "ordföranden har anmält jäv",
}


def chair_name(s: FoldState) -> str:
    for person in s.info.members + s.info.officers:
        if person.user_id in s.info.chair_ids:
            return f"{person.name} (ordförande)"
    return "ordföranden"


def start_item(s: FoldState, para: ParagraphDraft) -> None:
    """At item activation: name who leads the § when it is not the chair."""
    para.presided_by = [s.presiding or chair_name(s)]
    if s.presiding:
        para.roster.append(f"{s.presiding} leder sammanträdet under paragrafen.")


def _on_presiding_changed(s: FoldState, e: LogEvent) -> None:
    p = e.payload
    returned = p.get("reason") == "chair_returned"
    label = f"{p.get('name', '')} ({OFFICES.get(str(p.get('office')), 'ledamot')})"
    s.presiding = "" if returned else label
    para = s.para(p.get("item_id") or s.current_item)
    if para is not None and s.current_item is not None:
        para.presided_by.append(label)
    why = REASONS.get(str(p.get("reason")), "")
    s.roster_note(p.get("item_id"), f"{label} leder sammanträdet" + (
        f" eftersom {why}." if why else " åter."))


RULESETS = {
    "audio_video": "Distansdeltagande enligt kommunallagen (5 kap. 16 §, 6 kap. 24 §) i dess "
                   "lydelse före prop. 2025/26:164: ledamot som deltar på distans är närvarande "
                   "endast med ljud- och bildöverföring i realtid.",
    "chair_ensures": "Distansdeltagande enligt kommunallagen i dess lydelse efter prop. "
                     "2025/26:164: ordföranden försäkrar sig om vilka som deltar på distans "
                     "och att de kan följa och delta i sammanträdet.",
}


def on_meeting_opened(s: FoldState, e: LogEvent) -> None:
    s.remote_ruleset = str(e.payload.get("remote_ruleset") or "")


def on_remote_check_in(s: FoldState, e: LogEvent) -> None:
    """Name the remote ruleset the meeting was held under, once, where someone first took
    part remotely."""
    text = RULESETS.get(s.remote_ruleset)
    if text and not s.remote_ruleset_named:
        s.remote_ruleset_named = True
        if s.started:
            s.roster_note(e.payload.get("item_id"), text)
        else:
            s.pending_roster.append(text)  # printed on the first §


def on_remote_confirmed(s: FoldState, e: LogEvent, people: dict[int, str]) -> None:
    """Under prop. 2025/26:164 the presiding person confirms who takes part remotely; the
    event names them in ``confirmed_by`` (older logs do not). A member back after a dropped
    link on this § gets it in that line; others in one line."""
    by = e.payload.get("confirmed_by")
    if not people or not isinstance(by, dict):
        return
    para = s.para(s.current_item) if s.current_item else None
    names = []
    for uid, name in people.items():
        d = para.disconnections.get(uid) if para else None
        if para is not None and d is not None and d.back_at is not None:
            d.confirmed_by = str(by.get("name", ""))
            _update(para, d)
        else:
            names.append(name)
    if not names:
        return
    text = f"{by.get('name', '')} bekräftar att {' och '.join(names)} deltar på distans."
    if s.started:
        s.roster_note(e.payload.get("item_id"), text)
    else:
        s.pending_roster.append(text)


def _clock(value: object) -> str:
    at = local_time(value)
    return f"kl. {at:%H.%M}" if at else ""


def render(d: Disconnection) -> str:
    text = f"Förbindelsen med {d.name}, som deltar på distans, bröts {_clock(d.lost_at)}".strip()
    if d.paused_at:
        text += f"; sammanträdet ajournerades {_clock(d.paused_at)}"
        if d.resumed_at:
            text += f" och återupptogs {_clock(d.resumed_at)}"
    if d.back_at:
        text += f"; {d.name} anslöts åter {_clock(d.back_at)}"
        if d.confirmed_by:
            text += f" (bekräftat av {d.confirmed_by})"
    if d.decided:
        text += f" och deltog {'inte ' if d.missed else ''}i beslutet" if d.back_at else (
            f"; {d.name} deltog {'inte ' if d.missed else ''}i beslutet")
    return text + "."


def _update(para: ParagraphDraft, d: Disconnection) -> None:
    para.roster[d.line] = render(d)


def on_presence_expired(s: FoldState, e: LogEvent) -> bool:
    """Record a dropped link on the § being handled; False between items (the caller
    writes the plain line then)."""
    para = s.para(e.payload.get("item_id") or s.current_item)
    if para is None or not s.started or s.current_item is None:
        return False
    uid = int(e.payload["user_id"])
    d = para.disconnections.get(uid)
    if d is None:
        para.roster.append("")
        d = para.disconnections[uid] = Disconnection(
            name=str(e.payload.get("name", "")), line=len(para.roster) - 1,
            lost_at=local_time(e.at))
    else:
        d.back_at = None
    if e.payload.get("pauses_meeting"):
        s.link_pause_item = para.item_id
    _update(para, d)
    return True


def on_paused_by_link(s: FoldState, e: LogEvent) -> bool:
    """The pause a dropped link caused is told in that link's line."""
    para = s.para(s.link_pause_item) if s.link_pause_item else None
    if para is None or e.payload.get("reason") != "remote_link_lost":
        return False
    for d in para.disconnections.values():
        if d.paused_at is None:
            d.paused_at = local_time(e.at)
            _update(para, d)
    return True


def on_resumed_after_link(s: FoldState, e: LogEvent) -> bool:
    para = s.para(s.link_pause_item) if s.link_pause_item else None
    s.link_pause_item = None
    if para is None:
        return False
    for d in para.disconnections.values():
        if d.paused_at is not None and d.resumed_at is None:
            d.resumed_at = local_time(e.at)
            _update(para, d)
    return True


def on_back(s: FoldState, user_id: int, e: LogEvent) -> bool:
    """A member whose link dropped on this § is present again: told in the same line."""
    para = s.para(s.current_item) if s.current_item else None
    d = para.disconnections.get(user_id) if para else None
    if para is None or d is None:
        return False
    d.back_at = local_time(e.at)
    _update(para, d)
    return True


def on_decision(s: FoldState, e: LogEvent) -> None:
    """After a decision on the §, whether each disconnected member took part in it: they
    did if present at that moment."""
    para = s.para(e.payload.get("item_id"))
    if para is None:
        return
    for uid, d in para.disconnections.items():
        person = s.people.get(uid)
        d.decided = True
        d.missed = d.missed or person is None or not person.present_now
        _update(para, d)


HANDLERS: dict[str, Handler] = {
    E.PRESIDING_CHANGED: _on_presiding_changed,
}
