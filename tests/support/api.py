"""A JSON API client for tests: Django's test client with an API token as Bearer."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from realtime.models import ApiToken


class ApiClient:
    """``get``/``post``/``patch``/``put``/``delete`` on ``/api/v1/...`` as one person."""

    def __init__(self, user: Any = None, *, token: str | None = None) -> None:
        self.client = Client()
        self.token = token if token is not None else (
            ApiToken.issue(user=user, name="test")[1] if user is not None else None)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def call(self, method: str, path: str, data: Any = None, *, raw: bytes | str | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any):
        body = raw if raw is not None else (json.dumps(data) if data is not None else None)
        call = getattr(self.client, method)
        if body is None and method in ("get", "delete"):
            return call(f"/api/v1{path}", headers=self._headers(headers), **kwargs)
        return call(f"/api/v1{path}", body, content_type="application/json",
                    headers=self._headers(headers), **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self.call("get", path, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any):
        return self.call("post", path, data, **kwargs)

    def patch(self, path: str, data: Any = None, **kwargs: Any):
        return self.call("patch", path, data, **kwargs)

    def put(self, path: str, data: Any = None, **kwargs: Any):
        return self.call("put", path, data, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.call("delete", path, **kwargs)

    def upload(self, path: str, *, name: str, data: bytes, title: str = ""):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(f"/api/v1{path}", {
            "file": SimpleUploadedFile(name, data), "title": title},
            headers=self._headers(None))


def error_of(response) -> tuple[int, str]:
    """(status, code) of a refusal, checking the error shape on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"], body
    return response.status_code, body["error"]["code"]
