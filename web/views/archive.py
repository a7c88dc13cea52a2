"""Public pages (no login): the notice board (anslag), the archive with its feed and JSON,
and a published minutes' page and PDF.

Views parse the request, call a function in ``minutes.public`` and render; nothing more.
"""

from __future__ import annotations

from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minutes import public
from minutes.models import Publication
from notices.public import public_notices


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def notice_board(request: HttpRequest) -> HttpResponse:
    return render(request, "public/notice_board.html", {
        "notices": public.notice_board(), "today": public.today(),
        "kungorelser": public_notices(public.today()),
    })


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    body_id = _int(request.GET.get("organ"))
    year = _int(request.GET.get("ar"))
    query = request.GET.get("q", "").strip()[:200]
    bodies, years = public.archive_facets()
    return render(request, "public/archive.html", {
        "publications": public.archive(body_id=body_id, year=year, query=query),
        "bodies": bodies, "years": years, "body_id": body_id, "year": year, "query": query,
    })


def _publication_or_404(publication_id: int) -> Publication:
    pub = public.publication(publication_id)
    if pub is None:
        raise Http404(_("There are no published minutes with this number."))
    return pub


@require_GET
def minutes_page(request: HttpRequest, publication_id: int) -> HttpResponse:
    pub = _publication_or_404(publication_id)
    m = public.published_minutes(pub)
    return render(request, "public/minutes.html", {
        "pub": pub, "m": m, "attendance": public.attendance_sections(m),
        "on_notice_board": public.is_on_notice_board(pub),
        "signatures": pub.document.signatures.all(),
    })


@require_GET
def minutes_pdf(request: HttpRequest, publication_id: int) -> HttpResponse:
    pub = _publication_or_404(publication_id)
    response = HttpResponse(bytes(pub.document.public_pdf), content_type="application/pdf")
    name = f"protokoll-{pub.body.name}-{pub.meeting_date:%Y-%m-%d}.pdf"
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-._") else "_" for ch in name)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    # Our own PDF: browsers' PDF viewers do not run under the pages' policy (django-csp).
    response._csp_exempt = True  # type: ignore[attr-defined]
    return response


def _entry(request: HttpRequest, pub: Publication) -> dict[str, Any]:
    page = request.build_absolute_uri(reverse("minutes:minutes", args=[pub.pk]))
    return {
        "id": pub.pk,
        "body": pub.body.name,
        "organisation": pub.body.organisation,
        "meeting_date": pub.meeting_date.isoformat(),
        "posted_on": pub.posted_on.isoformat(),
        "appeal_last_day": pub.appeal_last_day.isoformat(),
        "taken_down_on": pub.taken_down_on.isoformat(),
        "kept_at": pub.kept_at,
        "paragraphs": [pub.document.first_paragraph, pub.document.last_paragraph],
        "url": page,
        "pdf": request.build_absolute_uri(reverse("minutes:pdf", args=[pub.pk])),
        "pdf_sha256": pub.document.public_sha256,
        "log_hash": pub.document.log_hash,
    }


@require_GET
def archive_json(request: HttpRequest) -> JsonResponse:
    pubs = public.archive(body_id=_int(request.GET.get("organ")), year=_int(request.GET.get("ar")),
                          query=request.GET.get("q", "").strip()[:200])
    offset = max(_int(request.GET.get("offset")) or 0, 0)
    limit = min(max(_int(request.GET.get("limit")) or 100, 1), 500)
    page = pubs[offset:offset + limit]
    return JsonResponse(
        {"version": 1, "total": len(pubs), "offset": offset, "limit": limit,
         "minutes": [_entry(request, p) for p in page]},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def archive_feed(request: HttpRequest) -> HttpResponse:
    feed = Atom1Feed(
        title=_("Posted minutes"), link=request.build_absolute_uri(reverse("minutes:archive")),
        description=_("Minutes posted on the notice board"), language="sv",
        feed_url=request.build_absolute_uri(reverse("minutes:feed")),
    )
    for pub in public.archive()[:50]:
        entry = _entry(request, pub)
        feed.add_item(
            title=f"{pub.body.name} {pub.meeting_date:%Y-%m-%d}",
            link=entry["url"], unique_id=entry["url"],
            description=_("Posted %(posted)s. Last day to appeal: %(last)s.") % {
                "posted": entry["posted_on"], "last": entry["appeal_last_day"]},
            pubdate=pub.posted_at, updateddate=pub.posted_at,
            enclosures=[],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; "
                                                                "charset=utf-8")
