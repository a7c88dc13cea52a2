"""Helpers for the browser tests: the committee they meet in, and page assertions."""

from __future__ import annotations

import os

from axe_playwright_python.sync_playwright import Axe

from meetings.models import Body
from tests.support.browser import ROOT
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


SCREENSHOTS = ROOT / "docs" / "screenshots"
#: The README's screenshots are refreshed only on request, so a test run changes no tracked file.
UPDATE_SCREENSHOTS = os.environ.get("KLUBBA_UPDATE_SCREENSHOTS") == "1"


def readme_screenshot(page, name: str, *, full_page: bool = False, top: bool = True) -> None:
    """The README's picture of a page: nothing focused, from the top unless ``top`` is False
    (the phone room during a vote: the first screen as the member sees it)."""
    if not UPDATE_SCREENSHOTS:
        return
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if top:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
