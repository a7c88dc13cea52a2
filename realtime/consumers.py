"""The two meeting sockets: participants (commands allowed) and the public (read-only).

A consumer is thin: it admits the connection, parses frames (``realtime.protocol``) and calls a
registered domain command (``realtime.commands``). It has no channel-layer channel of its own:
it joins its process's hub (``realtime.hub``), which sends it the snapshot, catches it up and
then hands it each event's text, already rendered for its audience.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from meetings.errors import CommandError, ErrorCode
from meetings.snapshot import meeting_snapshot
from meetings.visibility import PARTICIPANTS, PUBLIC
from realtime import admission, ballot_gate, budgets, presence, revocation
from realtime.auth import header
from realtime.batching import batcher
from realtime.coalesce import Coalescer
from realtime.commands import registry
from realtime.commands.registry import Call, unchanged_result
from realtime.fanout import head_of
from realtime.hub import Feed, Hub, Snapshot, collect, hub
from realtime.protocol import (
    CLOSE_CODES,
    SNAPSHOT_COMPACT,
    SNAPSHOT_FULL,
    SNAPSHOT_HEAD,
    FrameError,
    WireError,
    argument_error,
    cheap_id,
    dumps,
    error_body,
    error_frame,
    parse_client_frame,
    pong,
    reply_error,
    reply_ok,
    snapshot_frame,
    text_error,
)
from realtime.snapshots import compact, fitted
from realtime.stream import progress_frame

logger = logging.getLogger(__name__)


#: The log's head for the ``sync`` frames that arrive together (a reconnect storm): one read.
heads: Coalescer[None, int] = Coalescer(lambda meeting_id, n: [head_of(meeting_id)] * len(n),
                                        "head")


def language_of(scope: dict) -> str:
    """The client's language: ``?lang=`` or the ``Accept-Language`` header, if supported."""
    candidates = parse_qs(scope.get("query_string", b"").decode("latin1")).get("lang", [])
    accept = header(scope, b"accept-language")
    if accept:
        candidates += [code for code, _ in parse_accept_lang_header(accept.decode("latin1"))]
    for code in candidates:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def snapshot_view_of(scope: dict) -> str:
    """``?snapshot=head`` asks for the stream's position only, ``?snapshot=compact`` for the
    state with its rosters as tables; anything else, the full state."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin1")).get("snapshot", [])
    for view in (SNAPSHOT_HEAD, SNAPSHOT_COMPACT):
        if view in asked:
            return view
    return SNAPSHOT_FULL


def _limits() -> tuple[int, int]:
    klubba = settings.KLUBBA
    return int(str(klubba["MAX_FRAME_BYTES"])), int(str(klubba["MAX_REPLAY_EVENTS"]))


class MeetingSocket(AsyncWebsocketConsumer):
    """``/ws/meetings/<id>/``: a participant of the meeting's body."""

    audience = PARTICIPANTS
    #: No layer channel per socket: the process's hub (``realtime.hub``) receives a meeting's
    #: events once and hands them to each of its sockets.
    channel_layer_alias = None

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch hops to the database thread before every frame to close stale
        connections; every database call here goes through ``database_sync_to_async``,
        which does that itself, so the extra hop per frame is skipped."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    # --- connection ---------------------------------------------------------------------------

    async def connect(self) -> None:
        self.meeting_id: int = int(self.scope["url_route"]["kwargs"]["meeting_id"])
        self.user = self.scope.get("user") or AnonymousUser()
        self.sent_seq = 0  # highest seq this connection is current with
        self.snapshot_seq = 0  # seq of the last snapshot sent on this connection
        self.feed: Feed | None = None
        self.hub: Hub | None = None
        self.counted = False  # counted in presence
        self.slot: Any = None  # the user's socket slot in this process (budgets.Ledger)
        self.joined = False  # frames are read only from a joined socket
        self.worker: asyncio.Task | None = None
        self.language = language_of(self.scope)
        self.snapshot_view = snapshot_view_of(self.scope)
        self.command_budget = budgets.command_bucket()
        self.sync_budget = budgets.sync_bucket()
        await self.accept()
        refusal = await self.refusal()
        if refusal is None and self.user.is_authenticated:
            if budgets.ledger().open(self.user.pk):
                self.slot = self.user.pk
            else:
                refusal = WireError.TOO_MANY_SOCKETS
        if refusal is not None:
            await self.refuse(refusal)
            return
        self.hub = hub()
        self.feed = await self.hub.join(self.meeting_id, self)
        snapshot = await self.snapshot_from(self.feed)
        await self.send_text(snapshot.text)
        self.sent_seq = self.snapshot_seq = snapshot.seq
        await self.feed.catch_up(self)
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue(
            int(budgets.budget("RECEIVE_QUEUE")))
        self.worker = asyncio.get_running_loop().create_task(
            self.work(), name=f"klubba-socket-{self.meeting_id}")
        self.joined = True
        await revocation.watch(self)
        if self.audience == PARTICIPANTS:
            self.counted = True
            await presence.socket_up(self.meeting_id, self.user)

    async def refuse(self, code: str) -> None:
        """One error frame, then close. Frames the client sent meanwhile are dropped
        (``receive`` reads nothing from a socket that has not joined)."""
        logger.info("websocket refused for meeting %s: %s", self.meeting_id, code)
        with translation.override(self.language):
            await self.send_frame(error_frame(code))
        await self.close(code=CLOSE_CODES.get(code, 4403))

    async def refusal(self) -> str | None:
        """Why this connection may not follow the meeting, or None. Who it is comes first:
        an anonymous client learns nothing about which meeting ids exist. The database
        reads are shared with the handshakes that arrive meanwhile (``realtime.admission``)."""
        if self.scope.get("auth_error"):
            return WireError.INVALID_TOKEN
        if not self.user.is_authenticated:
            return WireError.AUTHENTICATION_REQUIRED
        return await admission.participants(self.meeting_id,
                                            (self.user, self.scope.get("session")))

    async def disconnect(self, code: int) -> None:
        self.joined = False
        await revocation.unwatch(self)
        worker = getattr(self, "worker", None)
        if worker is not None:
            worker.cancel()
            self.worker = None
        if getattr(self, "slot", None) is not None:
            budgets.ledger().close(self.slot)
            self.slot = None
        if getattr(self, "hub", None) is not None:
            await self.hub.leave(self.meeting_id, self)  # type: ignore[union-attr]
            self.hub = self.feed = None
        if getattr(self, "counted", False):
            self.counted = False
            await presence.socket_down(self.meeting_id, self.user)

    # --- frames from the client ---------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Queue the frame for ``work``, so Daphne's (unbounded) queue of this socket's frames
        stays empty; a full queue refuses the frame at once (``queue_full``)."""
        if not self.joined:
            return  # refused, or closing: nothing the client sends is read
        try:
            self.inbox.put_nowait(text_data)
        except asyncio.QueueFull:
            with translation.override(self.language):
                await self.send_frame(FrameError(
                    WireError.QUEUE_FULL, {"queued": self.inbox.maxsize},
                    frame_id=cheap_id(text_data)).as_frame())

    async def work(self) -> None:
        """This socket's frames, one at a time, in the order they came."""
        while True:
            text = await self.inbox.get()
            with translation.override(self.language):
                try:
                    await self.handle_frame(text)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a bug: keep the trace and the socket
                    logger.exception("frame on meeting %s failed", self.meeting_id)

    async def handle_frame(self, text_data: str | None) -> None:
        max_bytes, _ = _limits()
        try:
            frame = parse_client_frame(text_data, max_bytes=max_bytes)
            if frame["type"] == "ping":
                await self.send_frame(pong(frame["id"]))
            elif frame["type"] == "sync":
                await self.handle_sync(frame["id"], frame["since"])
            else:
                await self.handle_command(frame["id"], frame["name"], frame["args"])
        except FrameError as exc:
            logger.info(
                "refused frame on meeting %s socket (user %s): %s",
                self.meeting_id, self.user.pk, exc.code,
            )
            await self.send_frame(exc.as_frame())

    async def handle_command(self, frame_id: str, name: str, args: dict[str, Any]) -> None:
        command = registry.get(name)
        if command is None:
            raise FrameError(WireError.UNKNOWN_COMMAND, {"name": name}, frame_id=frame_id)
        if self.audience == PUBLIC:
            raise FrameError(ErrorCode.PERMISSION_DENIED, {"reason": "read_only"},
                             frame_id=frame_id)
        try:
            errors = registry.args_errors(name, args)
        except RecursionError:
            raise FrameError(ErrorCode.INVALID_ARGUMENT, {"reason": "nested too deeply"},
                             frame_id=frame_id) from None
        problem = argument_error(errors, frame_id) or text_error(args, frame_id)
        problem = problem or await ballot_gate.refusal(self, frame_id, name, args)
        if problem is not None:
            raise problem
        wait = budgets.take_all(self.command_budget,
                                budgets.ledger().user_bucket(self.user.pk))
        if wait:
            raise FrameError(WireError.RATE_LIMITED, {"retry_after": round(wait, 2)},
                             frame_id=frame_id)
        try:
            if command.batch is not None:
                result = await batcher().run(command, meeting_id=self.meeting_id,
                                             call=Call(self.user, frame_id, args))
            else:
                result = await database_sync_to_async(self.run_command)(command, frame_id, args)
        except CommandError as exc:
            await self.send_frame(reply_error(frame_id, exc.as_dict()))
            return
        except Exception:
            # A domain command raising anything but CommandError is a bug: keep the trace.
            logger.exception("command %s failed on meeting %s", name, self.meeting_id)
            await self.send_frame(reply_error(frame_id, error_body(WireError.INTERNAL_ERROR)))
            return
        await self.send_frame(reply_ok(frame_id, result))

    def run_command(self, command: registry.WireCommand, frame_id: str,
                    args: dict[str, Any]) -> dict[str, Any]:
        outcome = command.handler(
            meeting_id=self.meeting_id, actor=self.user, command_id=frame_id, **args
        )
        # A command that found nothing to do (a second check-in) logged nothing.
        result = (unchanged_result(head_of(self.meeting_id)) if outcome is None
                  else command.to_result(outcome))
        json.dumps(result)  # fail here, inside the error handling, if it cannot be sent
        return result

    async def handle_sync(self, frame_id: str, since: int) -> None:
        """The stream's frames after ``since`` that this socket does not have yet, or the
        (cached) snapshot when further behind than ``MAX_REPLAY_EVENTS``.

        What this connection already sent since its snapshot is not sent again; what came
        before its snapshot (history a reconnecting client asks for) is."""
        wait = budgets.take_all(self.sync_budget)
        if wait:
            raise FrameError(WireError.RATE_LIMITED, {"retry_after": round(wait, 2)},
                             frame_id=frame_id)
        _, max_replay = _limits()
        feed = self.feed
        assert feed is not None  # joined: the feed is set before frames are read
        head = max(feed.head, await heads(self.meeting_id, None))
        if since > head:
            raise FrameError(ErrorCode.INVALID_ARGUMENT,
                             {"field": "since", "reason": "ahead_of_log", "seq": head},
                             frame_id=frame_id)
        if head - since > max_replay:
            seq = await self.resnapshot(feed)
            await self.send_frame(reply_ok(frame_id, {"seq": seq, "snapshot": True,
                                                      "events": 0}))
            return
        messages = await feed.messages(since, head)
        async with feed.sending:
            sent = self.sent_seq
            texts, summary = collect(self.audience, (
                m for m in messages if m["seq"] <= self.snapshot_seq or m["seq"] > sent))
            for text in texts:
                await self.send_text(text)
            if summary is not None:
                await self.send_text(progress_frame(self.meeting_id, head, summary))
            self.sent_seq = max(sent, head)
        await self.send_frame(reply_ok(frame_id, {"seq": head, "snapshot": False,
                                                  "events": len(texts)}))

    async def resnapshot(self, feed: Feed) -> int:
        """Send the feed's (cached) snapshot and catch up from it, as on connect."""
        feed.ready[self.audience].discard(self)
        snapshot = await self.snapshot_from(feed)
        await self.send_text(snapshot.text)
        self.sent_seq = self.snapshot_seq = snapshot.seq
        await feed.catch_up(self)
        return snapshot.seq

    # --- frames to the client -----------------------------------------------------------------

    async def send_text(self, text: str) -> None:
        await self.base_send({"type": "websocket.send", "text": text})

    async def interrupt(self) -> None:
        self.joined = False
        with translation.override(self.language):
            await self.send_frame(error_frame(WireError.STREAM_INTERRUPTED))
        await self.close(code=CLOSE_CODES[WireError.STREAM_INTERRUPTED])

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send_text(dumps(frame))

    async def snapshot_from(self, feed: Feed) -> Snapshot:
        """The audience's full state (shared, cached), or with ``?snapshot=head`` only the
        stream's position: Klubba's pages read their state over HTTP and never used the
        thousand seats of a big meeting's snapshot."""
        if self.snapshot_view == SNAPSHOT_HEAD:
            return feed.head_snapshot(self.audience)
        return await feed.snapshot(self.audience, self.build_snapshot, view=self.snapshot_view)

    async def build_snapshot(self) -> Snapshot:
        return await database_sync_to_async(snapshot_of)(self.meeting_id, self.audience,
                                                         self.snapshot_view)


def snapshot_of(meeting_id: int, audience: str, view: str = SNAPSHOT_FULL) -> Snapshot:
    """The audience's snapshot, encoded once (in the database thread, off the event loop)."""
    data = meeting_snapshot(meeting_id, audience)
    if view == SNAPSHOT_COMPACT:
        data = compact(data)
    text = fitted(data, lambda d: dumps(snapshot_frame(meeting_id, d)))
    return Snapshot(seq=data["seq"], text=text)


class PublicMeetingSocket(MeetingSocket):
    """``/ws/public/meetings/<id>/``: anyone, read-only, public meetings only."""

    audience = PUBLIC

    async def refusal(self) -> str | None:
        """A missing meeting is answered like a non-public one (as the public page's 404
        does), so anonymous clients cannot tell which ids exist."""
        if self.scope.get("auth_error"):
            return WireError.INVALID_TOKEN
        return await admission.public(self.meeting_id, None)


class NoSuchSocket(AsyncWebsocketConsumer):
    """Any other websocket path: refused at the handshake (no traceback in the log)."""

    async def connect(self) -> None:
        await self.close()
