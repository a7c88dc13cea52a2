"""A protokollsutdrag as a PDF: the chosen § exactly as the signed minutes print them, the
justering facts, and the secretary's certification "Rätt utdraget intygar".

It reuses the minutes' own paragraph rendering (``minutes.pdf``), so a § reads the same in
the minutes and in the extract. Pure: no Django; the signature is added afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer

from minutes.model import Minutes
from minutes.pdf import (
    FONT,
    _FixedTimeStamp,
    _grid,
    _p,
    _paragraph,
    _register_fonts,
    _styles,
)
from minutes.serialise import paragraph_ranges

#: The signature field of the certifying secretary.
CERTIFIER_FIELD = "Sekreterare"


@dataclass(frozen=True)
class JusteringFact:
    """One signature of the signed minutes: who, in which role, when (Swedish date)."""

    role: str  # "Ordförande" / "Justerare"
    name: str
    signed_on: str


@dataclass(frozen=True)
class ExtractFacts:
    """What the extract states besides the paragraphs."""

    certifier: str  # the secretary who certifies
    certified_on: str  # YYYY-MM-DD
    certified_at: datetime  # PDF timestamp
    justering: tuple[JusteringFact, ...]
    minutes_sha256: str  # the signed minutes' bytes the extract was taken from
    posted_on: str = ""  # anslag, if the minutes are posted
    appeal_last_day: str = ""
    confidential: bool = False


def extract_heading_lines(m: Minutes) -> list[list[str]]:
    return [
        ["Organ", m.body],
        ["Sammanträdesdatum", m.date],
        ["Paragrafer", paragraph_ranges(p.number for p in m.paragraphs)],
    ]


def render_extract_pdf(m: Minutes, facts: ExtractFacts) -> bytes:
    """``m`` holds only the chosen paragraphs (internal or public version)."""
    _register_fonts()
    st = _styles()
    buf = BytesIO()
    numbers = paragraph_ranges(p.number for p in m.paragraphs)
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=f"Utdrag ur protokoll {m.body} {m.date} {numbers}",
        author=m.organisation or m.body, subject=f"Protokollets SHA-256: {facts.minutes_sha256}",
        creator="Klubba", producer="Klubba (ReportLab)", invariant=1, lang="sv-SE",
    )
    width = doc.width
    label_w = width * 0.38

    def on_page(canvas, _doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas._doc._timeStamp = _FixedTimeStamp(facts.certified_at.astimezone(UTC))
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(22 * mm, 12 * mm, f"{m.body} – utdrag ur protokoll {m.date}")
        canvas.drawRightString(A4[0] - 22 * mm, 12 * mm, f"Sida {canvas.getPageNumber()}")
        canvas.restoreState()

    def grid(rows: list[list[str]]) -> object:
        return _grid([[_p(a, st["label"]), _p(b, st["body"])] for a, b in rows],
                     [label_w, width - label_w])

    flow: list[object] = []
    if m.organisation:
        flow.append(_p(m.organisation, st["org"]))
    flow += [_p("Utdrag ur protokoll", st["title"]), _p(m.body, st["h2"])]
    if facts.confidential:
        flow.append(_p("SEKRETESS: utdraget innehåller uppgifter som kan omfattas av sekretess "
                       "enligt offentlighets- och sekretesslagen (2009:400).", st["label"]))
    if m.public:
        flow.append(_p("Offentlig version: personnummer har utelämnats.", st["small"]))
    flow += [Spacer(1, 6), grid(extract_heading_lines(m))]
    for para in m.paragraphs:
        flow += _paragraph(para, st, width, public=m.public)

    flow += [CondPageBreak(60 * mm), _p("Justerandes signatur", st["h2"])]
    signed = [[f.role, f"{f.name}, elektroniskt underskrivet {f.signed_on}"]
              for f in facts.justering] or [["Justering", "–"]]
    flow += [grid(signed), Spacer(1, 3),
             _p("Protokollet är justerat med elektroniska underskrifter (PAdES) i "
                "protokollets PDF-fil. Det justerade protokollets kontrollsumma (SHA-256):",
                st["small"]),
             _p(facts.minutes_sha256, st["small"])]
    if facts.posted_on:
        flow += [Spacer(1, 6), grid([
            ["Anslag om justering", facts.posted_on],
            ["Sista dag för överklagande", facts.appeal_last_day],
        ])]
    flow += [Spacer(1, 10), _p("Rätt utdraget intygar", st["h2"]), grid([
        ["Namn", facts.certifier],
        ["Befattning", "Sekreterare"],
        ["Datum", facts.certified_on],
        ["Underskrift", "Elektroniskt underskrivet (se signaturen i PDF-filen)"],
    ])]
    flow += [Spacer(1, 10), _p("Loggens kontrollsumma (SHA-256)", st["h3"]),
             _p(f"{m.log_hash} (händelse {m.log_seq})", st["small"])]
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
