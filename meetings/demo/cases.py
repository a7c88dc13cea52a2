"""The demo's upcoming meeting as a secretary prepares it: each case item has its case
number (Dnr), its presenting official (föredragande) and the official's report
(tjänsteskrivelse) as a document, so the notice, the console and the minutes show them."""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from meetings.models import Attachment, Meeting

#: Item position -> (Dnr, föredragande); the first three items are the meeting's own.
CASES: dict[int, tuple[str, str]] = {
    4: ("SBN {year}/131", "Lena Berg, bygglovshandläggare"),
    5: ("SBN {year}/138", "Lena Berg, bygglovshandläggare"),
    6: ("SBN {year}/64", "Per Ek, planchef"),
    7: ("SBN {year}/152", "Per Ek, planchef"),
    8: ("SBN {year}/3", "Maria Holm, nämndsekreterare"),
    10: ("SBN {year}/149", "Sara Lind, byggnadsinspektör"),
}
#: Items whose report is attached (public items only; a closed item's documents would be
#: confidential too).
REPORTS = (4, 6)


def set_cases(meeting: Meeting) -> None:
    """Dnr, föredragande and the official's report on the meeting's case items."""
    year = meeting.starts_at.year
    for item in meeting.items.filter(position__in=CASES):
        dnr, presenter = CASES[item.position]
        item.case_number = dnr.format(year=year)
        item.presenter = presenter
        item.save(update_fields=["case_number", "presenter"])
        if item.position in REPORTS and not item.attachments.exists():
            pdf = _report(title=item.title, dnr=item.case_number, presenter=presenter,
                          proposal=item.prepared_proposal)
            Attachment.objects.create(
                item=item, title="Tjänsteskrivelse",
                file=ContentFile(pdf, name=f"tjansteskrivelse-{item.position}.pdf"),
            )


def _report(*, title: str, dnr: str, presenter: str, proposal: str) -> bytes:
    """A one-page tjänsteskrivelse: enough for the demo's document links to open a PDF."""
    out = BytesIO()
    page = Canvas(out, pagesize=A4)
    page.setTitle(f"Tjänsteskrivelse {dnr}")
    y = A4[1] - 30 * mm
    for size, text in ((9, "Ekby kommun, Stadsbyggnadskontoret"), (9, f"Dnr {dnr}"),
                       (14, "Tjänsteskrivelse"), (12, title), (10, f"Förslag till beslut: "
                                                                  f"{proposal}"),
                       (10, f"Handläggare: {presenter}")):
        page.setFont("Helvetica", size)
        page.drawString(20 * mm, y, text[:110])
        y -= (size + 8) * 0.3528 * mm * 2.2
    page.showPage()
    page.save()
    return out.getvalue()
