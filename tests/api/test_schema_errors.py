"""The API's schema refusals speak the client's language: short Swedish (or English) messages
instead of pydantic's English, the field as the client sent it (no internal wrapper), a body
that is not a JSON object said as such, and a missing token that names the Bearer header."""

from __future__ import annotations

import pytest

from tests.support.api import ApiClient, error_of

pytestmark = pytest.mark.django_db


def errors(response) -> tuple[str, list[dict]]:
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    return error["message"], error["details"]["errors"]


def test_field_errors_are_short_swedish_messages_at_the_clients_location(committee):
    sec = ApiClient(committee.secretary)
    mid = committee.meeting.pk
    message, rows = errors(sec.post(f"/meetings/{mid}/agenda/import",
                                    {"items": [{"title": "Öppet"}, {}]}))
    assert rows == [{"loc": ["body", "items", "1", "title"], "field": "items[1].title",
                     "msg": "obligatoriskt", "type": "missing"}]
    assert "items[1].title: obligatoriskt" in message and "Field required" not in message
    _message, rows = errors(sec.post(f"/meetings/{mid}/agenda/items", {"title": "x" * 400}))
    assert rows[0]["msg"] == "får ha högst 300 tecken" and "data" not in rows[0]["loc"]
    _message, rows = errors(sec.get(f"/meetings/{mid}/log?limit=abc"))
    assert rows == [{"loc": ["query", "limit"], "field": "limit", "msg": "måste vara ett heltal",
                     "type": "int_parsing"}]
    _message, rows = errors(sec.get(f"/meetings/{mid}/log?since=-1"))
    assert rows[0]["msg"] == "måste vara minst 0"


def test_english_when_the_client_asks(committee):
    sec = ApiClient(committee.secretary)
    message, rows = errors(sec.get("/meetings/abc?lang=en"))
    assert rows[0]["msg"] == "must be a whole number" and rows[0]["field"] == "meeting_id"
    assert message.endswith("meeting_id: must be a whole number")


def test_a_body_that_is_not_a_json_object_is_said_as_such(committee):
    sec = ApiClient(committee.secretary)
    mid = committee.meeting.pk
    for raw in ("[1, 2]", "", "42"):
        message, rows = errors(sec.post(f"/meetings/{mid}/agenda/items", raw=raw))
        assert message == "Begärans innehåll måste vara ett JSON-objekt.", raw
        assert [r["loc"] for r in rows] == [["body"]] and rows[0]["type"] == "object_type"


def test_a_missing_token_names_the_bearer_header():
    response = ApiClient().get("/bodies")
    assert error_of(response) == (401, "authentication_required")
    assert "Authorization: Bearer" in response.json()["error"]["message"]
    assert "API-token" in response.json()["error"]["message"]
