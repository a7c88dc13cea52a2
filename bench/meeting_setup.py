"""Django-side helpers for the benchmark, run as a subprocess with the bench's settings env.

    python -m bench.meeting_setup create --voters 1000 --out meeting.json
    python -m bench.meeting_setup head --meeting 1
    python -m bench.meeting_setup ballots --vote 1

``create`` makes a body with V seats, a secretary (the chair is seat 1), a public meeting with
two items, opens it, checks every member in (recorded by the secretary, so confirmed at once),
approves the agenda, activates item 1 (which adds its prepared proposal) and issues an API
token for every member and the secretary. Users and tokens are bulk-created (the bench needs
thousands); every meeting change goes through the real commands, so the log is a real log.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from datetime import timedelta


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klubba.settings")
    import django

    django.setup()


def create(voters: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from meetings import commands as c
    from meetings.models import AgendaItem, Body, BodyRole, Meeting, Proposal, Seat
    from realtime.models import PREFIX_LENGTH, TOKEN_PREFIX, ApiToken, hash_token

    started = time.monotonic()
    User = get_user_model()
    tag = secrets.token_hex(3)
    unusable = make_password(None)
    secretary = User.objects.create(username=f"bench-{tag}-sekr", first_name="Sekre",
                                    last_name="Terare", password=unusable)
    User.objects.bulk_create(
        User(username=f"bench-{tag}-m{n}", first_name=f"Ledamot{n}", last_name="Bench",
             password=unusable)
        for n in range(1, voters + 1)
    )
    members = list(User.objects.filter(username__startswith=f"bench-{tag}-m").order_by("pk"))
    body = Body.objects.create(name=f"Kongressen {tag}", seats_count=voters,
                               organisation="Benchby kommun")
    BodyRole.objects.create(body=body, user=secretary, role=BodyRole.Role.SECRETARY)
    BodyRole.objects.create(body=body, user=members[0], role=BodyRole.Role.CHAIR)
    Seat.objects.bulk_create(
        Seat(body=body, number=n, member=m, party="S" if n % 2 else "M")
        for n, m in enumerate(members, start=1)
    )
    meeting = Meeting.objects.create(body=body, title="Kongress",
                                     starts_at=timezone.now() + timedelta(minutes=5),
                                     is_public=True)
    items = [AgendaItem.objects.create(meeting=meeting, position=i, title=title,
                                       prepared_proposal=f"Förslag {i}")
             for i, title in enumerate(["Budget", "Stadgar"], start=1)]
    created_s = time.monotonic() - started

    m_id = meeting.pk
    c.meeting_open(meeting_id=m_id, actor=secretary)
    for member in members:
        c.attendance_check_in(meeting_id=m_id, actor=secretary, user_id=member.pk, remote=False)
    c.agenda_approve(meeting_id=m_id, actor=secretary)
    c.item_activate(meeting_id=m_id, actor=secretary, item_id=items[0].pk)
    proposal = Proposal.objects.filter(item=items[0]).order_by("number").first()
    commands_s = time.monotonic() - started - created_s

    tokens: dict[int, str] = {}
    rows = []
    for user in [secretary, *members]:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        tokens[user.pk] = token
        rows.append(ApiToken(user=user, name="bench", prefix=token[:PREFIX_LENGTH],
                             token_hash=hash_token(token)))
    ApiToken.objects.bulk_create(rows, batch_size=500)
    meeting.refresh_from_db()
    return {
        "meeting_id": m_id, "item_id": items[0].pk, "second_item_id": items[1].pk,
        "main_proposal_id": proposal.pk if proposal else None,
        "secretary": {"user_id": secretary.pk, "token": tokens[secretary.pk]},
        "chair_user_id": members[0].pk,
        "voters": [{"user_id": m.pk, "token": tokens[m.pk]} for m in members],
        "head_seq": meeting.last_seq,
        "timing": {"rows_s": round(created_s, 2), "commands_s": round(commands_s, 2)},
    }


def head(meeting_id: int) -> dict:
    from meetings.models import Meeting

    return {"seq": Meeting.objects.values_list("last_seq", flat=True).get(pk=meeting_id)}


def ballots(vote_id: int) -> dict:
    from django.db.models import Count

    from voting.models import OpenBallot, Vote

    vote = Vote.objects.get(pk=vote_id)
    rows = OpenBallot.objects.filter(vote=vote)
    per_voter = rows.values("voter_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return {"rows": rows.count(), "distinct_voters": rows.values("voter_id").distinct().count(),
            "voters_with_more_than_one": per_voter, "cast_count": vote.cast_count,
            "state": vote.state, "result": vote.result and {
                k: vote.result.get(k) for k in ("ja", "nej", "avstar", "total", "outcome")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.meeting_setup")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("create")
    p.add_argument("--voters", type=int, required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("head")
    p.add_argument("--meeting", type=int, required=True)
    p = sub.add_parser("ballots")
    p.add_argument("--vote", type=int, required=True)
    args = parser.parse_args(argv)
    _setup()
    if args.cmd == "create":
        result = create(args.voters)
        with open(args.out, "w") as fh:
            json.dump(result, fh)
        print(json.dumps({k: v for k, v in result.items() if k not in {"voters", "secretary"}}))
    elif args.cmd == "head":
        print(json.dumps(head(args.meeting)))
    else:
        print(json.dumps(ballots(args.vote)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
