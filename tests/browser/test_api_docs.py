"""The API's documentation page (Swagger UI from ninja's static files) renders under the site's
strict Content-Security-Policy: no blocked script or style, the schema's paths listed."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_renders_the_schema_under_the_csp(site):
    page = site.page("api-docs", width=1280, height=900)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    response = page.goto(site.url("/api/v1/docs"))
    assert response is not None and response.status == 200
    page.wait_for_function("() => document.querySelectorAll('.opblock').length > 20")
    assert "Klubba API" in page.inner_text(".swagger-ui .info")
    assert "/api/v1/meetings/{meeting_id}/agenda/import" in page.inner_text("#swagger-ui")
    site.screenshot(page, "api-docs")
    assert not refused, refused
