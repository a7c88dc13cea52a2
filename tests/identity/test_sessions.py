"""Sessions and tokens: the list, revoking one (its open socket closes with ``session_revoked``
and close code 4401), logging out everywhere, a second-factor reset, the message other
processes get through the channel layer, and the idle timeout that an open socket holds off.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client as PageClient
from django.test import override_settings
from django.utils import timezone

from identity.models import AuditEntry, UserSession
from realtime import revocation
from realtime.models import ApiToken
from tests.support.committee import make_committee
from tests.support.identity import enrolled
from tests.support.sockets import api_token, closed_with, db, open_socket, participant

pytestmark = pytest.mark.django_db(transaction=True)

REVOKED = {"error": "session_revoked", "close": 4401}


def browser(user, agent: str = "Test browser") -> tuple[PageClient, str]:
    """A logged-in page client (its login recorded a session row) and its session key."""
    page = PageClient(HTTP_USER_AGENT=agent)
    page.force_login(user)
    assert page.get("/konto/sessioner/").status_code == 200  # the browser's first request
    return page, page.cookies["sessionid"].value


def cookie(key: str) -> list[tuple[bytes, bytes]]:
    return [(b"cookie", f"sessionid={key}".encode())]


def row_id(key: str) -> int:
    return UserSession.objects.get(session_key=key).pk


async def test_revoking_a_session_closes_its_socket_and_logs_it_out():
    c = await db(make_committee)()
    user = c.members[0]
    laptop, laptop_key = await db(browser)(user, "Laptop")
    phone, phone_key = await db(browser)(user, "Phone")
    on_laptop = await participant(c.meeting.pk, headers=cookie(laptop_key))
    on_phone = await participant(c.meeting.pk, headers=cookie(phone_key))

    listing = await db(phone.get)("/konto/sessioner/")
    assert listing.status_code == 200
    assert b"Laptop" in listing.content and b"Phone" in listing.content

    response = await db(phone.post)("/konto/sessioner/avsluta/",
                                    {"session": await db(row_id)(laptop_key)})
    assert response.status_code == 302
    assert await closed_with(on_laptop) == REVOKED
    # The other session and its socket are untouched.
    assert await on_phone.nothing_pending()
    # The revoked browser is logged out at its next request.
    assert (await db(laptop.get)("/konto/sessioner/")).status_code == 302
    assert await db(UserSession.objects.filter(session_key=laptop_key).exists)() is False
    assert await db(AuditEntry.objects.filter(action="session.revoked").count)() == 1
    await on_phone.close()


async def test_revoking_a_token_closes_its_socket():
    c = await db(make_committee)()
    user = c.members[0]
    page, _key = await db(browser)(user)
    token = await db(api_token)(user, "bot")
    bot = await participant(c.meeting.pk, token=token, origin=None)
    row = await db(ApiToken.objects.get)(user=user)

    listing = await db(page.get)("/konto/sessioner/")
    assert row.prefix.encode() in listing.content
    response = await db(page.post)("/konto/sessioner/avsluta/",
                                   {"kind": "api_token", "id": row.pk})
    assert response.status_code == 302
    assert await closed_with(bot) == REVOKED
    await db(row.refresh_from_db)()
    assert row.revoked
    # The token was used a moment ago (its last_used is not rewritten within a minute), yet
    # the next handshake with it is refused: no process answers a token from a cache.
    accepted, _code, again = await open_socket(f"/ws/meetings/{c.meeting.pk}/", token=token,
                                               origin=None)
    assert accepted
    assert (await closed_with(again))["error"] == "invalid_token"


async def test_someone_elses_token_or_session_is_not_revoked():
    c = await db(make_committee)()
    owner, other = c.members[0], c.members[1]
    page, _ = await db(browser)(other)
    _owner_page, owner_key = await db(browser)(owner)
    token = await db(api_token)(owner)
    row = await db(ApiToken.objects.get)(user=owner)
    bot = await participant(c.meeting.pk, token=token, origin=None)

    assert (await db(page.post)("/konto/sessioner/avsluta/",
                                {"kind": "api_token", "id": row.pk})).status_code == 404
    assert (await db(page.post)("/konto/sessioner/avsluta/",
                                {"session": await db(row_id)(owner_key)})).status_code == 404
    assert await bot.nothing_pending()
    await db(row.refresh_from_db)()
    assert not row.revoked
    await bot.close()


async def test_admin_revoking_tokens_closes_their_sockets():
    c = await db(make_committee)()
    token = await db(api_token)(c.members[0])
    bot = await participant(c.meeting.pk, token=token, origin=None)
    await db(revocation.revoke_tokens)(ApiToken.objects.filter(user=c.members[0]))
    assert await closed_with(bot) == REVOKED


async def test_logout_everywhere_closes_every_session_socket_but_not_tokens():
    c = await db(make_committee)()
    user = c.members[0]
    one, one_key = await db(browser)(user)
    _two, two_key = await db(browser)(user)
    first = await participant(c.meeting.pk, headers=cookie(one_key))
    second = await participant(c.meeting.pk, headers=cookie(two_key))
    bot = await participant(c.meeting.pk, token=await db(api_token)(user), origin=None)

    response = await db(one.post)("/konto/sessioner/logga-ut-overallt/")
    assert response.status_code == 302
    assert await closed_with(first) == REVOKED
    assert await closed_with(second) == REVOKED
    assert await bot.nothing_pending()
    assert await db(UserSession.objects.filter(user=user).exists)() is False
    await bot.close()


async def test_logging_out_closes_that_sessions_socket():
    c = await db(make_committee)()
    page, key = await db(browser)(c.members[0])
    socket = await participant(c.meeting.pk, headers=cookie(key))
    await db(page.post)("/accounts/logout/")
    assert await closed_with(socket) == REVOKED


async def test_second_factor_reset_closes_the_users_sockets():
    c = await db(make_committee)()
    user, admin = c.members[0], c.secretary
    await db(lambda: admin.user_permissions.add(
        Permission.objects.get(codename="reset_second_factor")))()
    _page, key = await db(browser)(user)
    await db(enrolled)(user)
    socket = await participant(c.meeting.pk, headers=cookie(key))
    bot = await participant(c.meeting.pk, token=await db(api_token)(user), origin=None)
    admin_page, _admin_key = await db(browser)(admin)
    response = await db(admin_page.post)("/konto/tvastegs/aterstall/",
                                         {"username": user.username})
    assert response.status_code == 200
    assert await closed_with(socket) == REVOKED
    assert await closed_with(bot) == REVOKED


async def test_a_message_from_another_process_closes_the_socket():
    """Another server process revoked the session: only the layer message reaches us."""
    c = await db(make_committee)()
    _page, key = await db(browser)(c.members[0])
    _page2, other_key = await db(browser)(c.members[0])
    socket = await participant(c.meeting.pk, headers=cookie(key))
    other = await participant(c.meeting.pk, headers=cookie(other_key))
    layer = get_channel_layer()
    # Every process gets every revocation; one for somebody else closes nothing here.
    await layer.group_send(revocation.GROUP, {
        "type": revocation.MESSAGE_TYPE, "user": c.members[1].pk, "reason": "revoked",
        "sessions": None, "tokens": None})
    await layer.group_send(revocation.GROUP, {
        "type": revocation.MESSAGE_TYPE, "user": c.members[0].pk, "reason": "revoked",
        "sessions": [revocation.key_hash(key)], "tokens": None})
    assert await closed_with(socket) == REVOKED
    assert await other.nothing_pending()
    await other.close()


async def test_the_process_stays_in_the_revocation_group_past_its_expiry():
    """The layer drops a group membership after its expiry; each touch round joins again."""
    c = await db(make_committee)()
    _page, key = await db(browser)(c.members[0])
    socket = await participant(c.meeting.pk, headers=cookie(key))
    watch = revocation.watch_of_loop()
    for _ in range(1000):  # the socket is watched just after its snapshot went out
        if c.members[0].pk in watch.sockets:
            break
        await asyncio.sleep(0.01)
    async with watch.lock:  # ... and joined the group before it let go of the lock
        assert watch.channel is not None
    layer = get_channel_layer()
    await layer.group_discard(revocation.GROUP, watch.channel)  # as an expiry would
    async with watch.lock:
        await watch.join()
    await layer.group_send(revocation.GROUP, {
        "type": revocation.MESSAGE_TYPE, "user": c.members[0].pk, "reason": "revoked",
        "sessions": None, "tokens": None})
    assert await closed_with(socket) == REVOKED


def idle(key: str, seconds: int) -> None:
    UserSession.objects.filter(session_key=key).update(
        last_seen_at=timezone.now() - timedelta(seconds=seconds))


@override_settings(KLUBBA={**settings.KLUBBA, "SESSION_IDLE_TIMEOUT": 600})
async def test_idle_session_is_logged_out_unless_its_socket_is_open():
    c = await db(make_committee)()
    user = c.members[0]
    quiet, quiet_key = await db(browser)(user)
    listening, listening_key = await db(browser)(user)
    socket = await participant(c.meeting.pk, headers=cookie(listening_key))

    await db(idle)(quiet_key, 601)
    await db(idle)(listening_key, 601)
    assert await revocation.touch_now() == 1  # the open socket keeps its session seen
    assert (await db(listening.get)("/konto/sessioner/")).status_code == 200
    response = await db(quiet.get)("/konto/sessioner/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert await db(AuditEntry.objects.filter(action="session.idle_timeout").count)() == 1
    assert await socket.nothing_pending()  # the page session's timeout never cut the socket

    # A socket that reconnects on a session idle for too long is refused.
    _page, stale_key = await db(browser)(user)
    await db(idle)(stale_key, 601)
    accepted, _code, client = await open_socket(f"/ws/meetings/{c.meeting.pk}/",
                                                headers=cookie(stale_key))
    assert accepted
    assert await closed_with(client) == {"error": "session_expired", "close": 4401}
    await socket.close()
