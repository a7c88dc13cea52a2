"""Helpers for the browser tests: the committee they meet in, and page assertions."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from meetings.models import Body
from tests.support.committee import Committee, make_committee

_axe = Axe()


def committee(name: str = "Byggnämnden") -> Committee:
    """The shared test committee, public, with remote participation allowed."""
    c = make_committee(name=name)
    Body.objects.filter(pk=c.body.pk).update(remote_ruleset=Body.RemoteRuleset.CHAIR_ENSURES)
    c.body.refresh_from_db()
    return c


def no_axe_violations(page, label: str) -> None:
    """axe-core (bundled by axe-playwright-python) finds nothing on the page as it is now."""
    results = _axe.run(page)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def wait_text(page, selector: str, text: str) -> None:
    """Wait until the element contains the text (Playwright polls; no timing assumptions)."""
    page.locator(selector).filter(has_text=text).first.wait_for()


def fits_width(page) -> bool:
    """Nothing makes the page scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def wait_in_first_screen(page, selector: str) -> None:
    """Wait until the element is wholly inside the viewport without the test scrolling (the
    page itself must bring it there, e.g. the vote panel when a vote opens)."""
    page.wait_for_function(
        """(sel) => { const el = document.querySelector(sel); if (!el) return false;
           const r = el.getBoundingClientRect();
           return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        arg=selector)


def fits_widths(page, widths: tuple[int, ...] = (320, 375)) -> list[int]:
    """The phone widths at which the page scrolls sideways (none, when all is well)."""
    before = page.viewport_size
    bad = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": before["height"]})
        if not fits_width(page):
            bad.append(width)
    page.set_viewport_size(before)
    return bad
