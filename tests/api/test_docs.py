"""docs/api.md and the served OpenAPI schema agree: every endpoint the guide's tables name
exists with its method, and every path of the schema is in the guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
ENDPOINT = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`")


def _normalised(path: str) -> str:
    """``/meetings/{meeting}/minutes/full.pdf`` and the schema's
    ``/api/v1/meetings/{meeting_id}/minutes/{version}.pdf`` to one form."""
    path = path.removeprefix("/api/v1").split("?", 1)[0]
    path = re.sub(r"\{[a-z_]+\}", "{}", path)
    return re.sub(r"/(full|public|\{\})\.pdf$", "/{}.pdf", path)


@pytest.mark.django_db
def test_the_guide_and_the_schema_name_the_same_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    served = {(method.upper(), _normalised(path))
              for path, operations in schema["paths"].items() for method in operations}
    documented = {(method, _normalised(path)) for method, path in ENDPOINT.findall(DOC)}
    assert documented - served == set(), "documented but not served"
    assert served - documented == set(), "served but not in docs/api.md"
