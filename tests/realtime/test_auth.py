"""Who may open which socket: session with a matching Origin, API token (header or query),
and the refusals (revoked token, no Origin without token, foreign Origin, non-members,
non-public meetings)."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.management import call_command

from meetings.commands import meeting_open
from meetings.models import Meeting, MeetingEvent
from realtime.auth import session_auth
from realtime.models import ApiToken, hash_token
from tests.support.committee import make_committee
from tests.support.sockets import api_token, closed_with, db, open_socket, participant, session_key

pytestmark = pytest.mark.django_db(transaction=True)


async def checked_in_as(client, meeting_id: int) -> int:
    reply = await client.command("attendance.check_in", {})
    assert reply["ok"], reply
    event = await db(MeetingEvent.objects.get)(meeting_id=meeting_id, seq=reply["result"]["seq"])
    return event.payload["user_id"]


@pytest.mark.parametrize("token_in", ["header", "query"])
async def test_bearer_token_without_origin_works(token_in):
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    token = await db(api_token)(c.members[1])
    client = await participant(c.meeting.pk, token=token, token_in=token_in, origin=None)
    assert await checked_in_as(client, c.meeting.pk) == c.members[1].pk
    row = await db(ApiToken.objects.get)(user=c.members[1])
    assert row.last_used is not None
    await client.close()


async def test_token_wins_and_cookies_are_ignored_without_origin():
    c = await db(make_committee)()
    await db(meeting_open)(meeting_id=c.meeting.pk, actor=c.secretary)
    token = await db(api_token)(c.members[2])
    # The secretary's session cookie rides along, but without Origin it is dropped.
    client = await participant(c.meeting.pk, user=c.secretary, token=token, origin=None)
    assert await checked_in_as(client, c.meeting.pk) == c.members[2].pk
    reply = await client.command("meeting.pause")
    assert reply["error"]["code"] == "permission_denied"
    await client.close()


async def test_revoked_unknown_and_malformed_tokens_are_refused():
    c = await db(make_committee)()
    token = await db(api_token)(c.members[1])
    await db(ApiToken.objects.filter(user=c.members[1]).update)(revoked=True)
    path = f"/ws/meetings/{c.meeting.pk}/"
    for kwargs in (
        {"token": token},
        {"token": "kbt_not-a-real-token"},
        {"token": token, "token_in": "query"},
        {"headers": [(b"authorization", b"Basic dXNlcjpwdw==")], "origin": b"http://127.0.0.1"},
    ):
        kwargs.setdefault("origin", None)
        accepted, _, client = await open_socket(path, **kwargs)
        assert accepted
        assert await closed_with(client) == {"error": "invalid_token", "close": 4401}, kwargs


async def test_inactive_users_token_is_refused():
    c = await db(make_committee)()
    token = await db(api_token)(c.members[1])
    c.members[1].is_active = False
    await db(c.members[1].save)()
    accepted, _, client = await open_socket(f"/ws/meetings/{c.meeting.pk}/", token=token,
                                            origin=None)
    assert accepted and (await closed_with(client))["error"] == "invalid_token"


async def test_no_origin_without_token_is_refused_even_with_a_session():
    c = await db(make_committee)()
    accepted, code, _ = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=c.secretary,
                                          origin=None)
    assert not accepted
    accepted, code, _ = await open_socket(f"/ws/public/meetings/{c.meeting.pk}/", origin=None)
    assert not accepted


@pytest.mark.parametrize("origin", [b"http://evil.example", b"null", b"https://127.0.0.1.evil",
                                    b"not a url"])
async def test_foreign_origin_is_refused(origin):
    c = await db(make_committee)()
    accepted, _, _ = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=c.secretary,
                                       origin=origin)
    assert not accepted
    token = await db(api_token)(c.secretary)
    accepted, _, _ = await open_socket(f"/ws/meetings/{c.meeting.pk}/", token=token,
                                       origin=origin)
    assert not accepted


async def test_allowed_hosts_decide_the_origin(settings):
    settings.ALLOWED_HOSTS = ["klubba.example"]
    c = await db(make_committee)()
    path = f"/ws/public/meetings/{c.meeting.pk}/"
    accepted, _, client = await open_socket(path, origin=b"http://klubba.example",
                                            host=b"klubba.example")
    assert accepted
    await client.close()
    # The Host is not an allowed host: its origin is nobody's own.
    accepted, _, _ = await open_socket(path, origin=b"http://127.0.0.1")
    assert not accepted


@pytest.mark.parametrize("origin", [
    b"https://127.0.0.1",  # another scheme
    b"http://127.0.0.1:8000",  # another port
    b"http://127.0.0.1:443",
    b"http://localhost",  # another allowed host than the one the socket was opened on
    b"http://127.0.0.1/path",
])
async def test_origin_must_match_by_scheme_host_and_port(origin):
    c = await db(make_committee)()
    accepted, _, _ = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=c.secretary,
                                       origin=origin)
    assert not accepted, origin
    accepted, _, client = await open_socket(f"/ws/meetings/{c.meeting.pk}/", user=c.secretary,
                                            origin=b"http://127.0.0.1:80")  # default port
    assert accepted
    await client.close()


async def test_tls_behind_a_proxy_is_read_from_the_configured_header(settings):
    """nginx terminates TLS and says so in X-Forwarded-Proto; Daphne's websocket scope has no
    scheme, so only the configured header makes the page's https origin the socket's own."""
    settings.ALLOWED_HOSTS = ["klubba.example"]
    c = await db(make_committee)()
    path = f"/ws/public/meetings/{c.meeting.pk}/"
    proto = [(b"x-forwarded-proto", b"https")]
    kwargs = {"origin": b"https://klubba.example", "host": b"klubba.example"}
    accepted, _, _ = await open_socket(path, headers=proto, **kwargs)
    assert not accepted  # header not configured: not trusted
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    accepted, _, client = await open_socket(path, headers=proto, **kwargs)
    assert accepted
    await client.close()
    accepted, _, _ = await open_socket(path, **kwargs)  # the proxy says plain http
    assert not accepted
    accepted, _, _ = await open_socket(path, headers=proto, origin=b"http://klubba.example",
                                       host=b"klubba.example")
    assert not accepted


async def test_trusted_origins_are_full_origins(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://moten.example:8443", "https://*.kommun.example"]
    c = await db(make_committee)()
    path = f"/ws/public/meetings/{c.meeting.pk}/"
    for origin in (b"https://moten.example:8443", b"https://klubba.kommun.example"):
        accepted, _, client = await open_socket(path, origin=origin)
        assert accepted, origin
        await client.close()
    for origin in (b"https://moten.example", b"http://moten.example:8443",
                   b"http://klubba.kommun.example", b"https://kommun.example.evil"):
        accepted, _, _ = await open_socket(path, origin=origin)
        assert not accepted, origin


async def test_participant_socket_refusals():
    c = await db(make_committee)()
    path = f"/ws/meetings/{c.meeting.pk}/"
    accepted, _, client = await open_socket(path)  # anonymous browser
    assert await closed_with(client) == {"error": "authentication_required", "close": 4401}
    accepted, _, client = await open_socket(path, user=c.outsider)
    assert await closed_with(client) == {"error": "not_a_participant", "close": 4403}
    accepted, _, client = await open_socket("/ws/meetings/987654/", user=c.secretary)
    assert await closed_with(client) == {"error": "meeting_not_found", "close": 4404}


async def test_anonymous_clients_cannot_tell_which_meetings_exist():
    c = await db(make_committee)()
    for meeting_id in (c.meeting.pk, 987654):
        accepted, _, client = await open_socket(f"/ws/meetings/{meeting_id}/")
        assert await closed_with(client) == {"error": "authentication_required",
                                             "close": 4401}, meeting_id
    await db(Meeting.objects.filter(pk=c.meeting.pk).update)(is_public=False)
    for meeting_id in (c.meeting.pk, 987654):
        accepted, _, client = await open_socket(f"/ws/public/meetings/{meeting_id}/")
        assert await closed_with(client) == {"error": "meeting_not_public",
                                             "close": 4403}, meeting_id


async def test_public_socket_needs_a_public_meeting():
    c = await db(make_committee)()
    await db(Meeting.objects.filter(pk=c.meeting.pk).update)(is_public=False)
    accepted, _, client = await open_socket(f"/ws/public/meetings/{c.meeting.pk}/")
    assert await closed_with(client) == {"error": "meeting_not_public", "close": 4403}


async def test_unknown_path_is_refused_at_the_handshake():
    accepted, _, _ = await open_socket("/ws/nowhere/")
    assert not accepted


def test_create_api_token_prints_it_once_and_stores_only_a_hash(django_user_model):
    user = django_user_model.objects.create_user(username="bot", password="x")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "bot", "--name", "Integration", stdout=out, stderr=err)
    token = out.getvalue().strip()
    row = ApiToken.objects.get(user=user)
    assert row.name == "Integration" and row.token_hash == hash_token(token)
    assert token.startswith(row.prefix) and len(row.prefix) < len(token) // 3
    assert token not in str(list(ApiToken.objects.values()))
    assert ApiToken.authenticate(token) == user
    assert admin.site.is_registered(ApiToken)


async def test_session_auth_reads_the_session_and_leaves_send_alone():
    """Websockets never change the session, so the session layer must not wrap ``send``
    (Channels' wrapper checks the session on every frame to every socket)."""
    c = await db(make_committee)()
    key = await db(session_key)(c.members[1])
    seen: dict = {}

    async def inner(scope, receive, send):
        seen["send"] = send
        seen["user"] = scope["user"].pk

    async def send(message):  # pragma: no cover - never called
        raise AssertionError(message)

    scope = {"type": "websocket", "headers": [(b"cookie", f"sessionid={key}".encode())]}
    await session_auth(inner)(scope, None, send)
    assert seen == {"send": send, "user": c.members[1].pk}
