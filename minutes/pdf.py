"""The minutes as a PDF (reportlab platypus), byte-for-byte deterministic.

``invariant=1`` removes reportlab's clock and random document id; the creation date is set
from the last logged event, so the same log always gives the same unsigned bytes. Fonts are
the Bitstream Vera TTFs shipped inside reportlab, embedded as subsets (å, ä, ö, é ... and no
dependency on the machine's fonts). The output uses classic xref tables, which pyHanko signs
with incremental updates without rewriting anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from minutes.model import AttendanceRow, Minutes, VoteTable
from minutes.model import Paragraph as MinutesParagraph
from minutes.serialise import case_line, paragraph_ranges, recipient_line

FONT = "KlubbaSans"
FONT_BOLD = "KlubbaSans-Bold"
_FONTS_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS_DIR, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(_FONTS_DIR, "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "org": ParagraphStyle("org", parent=base, fontSize=10, textColor=colors.HexColor("#444")),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20,
                                leading=24, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16,
                             spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13,
                             spaceBefore=6, spaceAfter=2),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _FixedTimeStamp(TimeStamp):
    """reportlab's document timestamp, pinned to a given moment (UTC)."""

    def __init__(self, moment: datetime) -> None:
        moment = moment.astimezone(UTC)
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def _person(r: AttendanceRow) -> str:
    text = r.name
    if r.party:
        text += f" ({r.party})"
    extra = [r.role] if r.role not in ("ledamot", "ersättare", "tjänsteperson") else []
    if r.remote:
        extra.append("på distans")
    if r.note:
        extra.append(r.note)
    return text + (", " + ", ".join(extra) if extra else "")


def _grid(
    rows: list[list[object]], widths: Sequence[float], *, header: bool = False,
    lines_after: Sequence[int] | None = None,
) -> Table:
    """A table that splits across pages; ``lines_after``: rule only below these rows."""
    table = Table(rows, colWidths=list(widths), hAlign="LEFT", repeatRows=1 if header else 0)
    grey = colors.HexColor("#999999")
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if lines_after is None:
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.25, grey))
    else:
        style += [("LINEBELOW", (0, i), (-1, i), 0.25, grey) for i in lines_after]
        style += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _vote(v: VoteTable, st: dict[str, ParagraphStyle], width: float) -> list[object]:
    flow: list[object] = [_p(v.title or ("Sluten omröstning" if v.secret else "Omröstning"),
                             st["label"])]
    if v.rows:
        widths = [width * 0.55, width * 0.15, width * 0.3]
        # Plain strings draw far faster than Paragraph cells (a 101-seat body has 300 cells
        # per vote); a name too wide for its column still gets a wrapping Paragraph.
        fits = widths[0] - 8

        def cell(text: str) -> object:
            if pdfmetrics.stringWidth(text, FONT, 10) <= fits:
                return text
            return _p(text, st["body"])

        rows: list[list[object]] = [["Ledamot", "Parti", "Röst"]]
        rows += [[cell(r.name), r.party, r.choice] for r in v.rows]
        table = _grid(rows, widths, header=True)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10),
                                   ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10)]))
        flow.append(table)
    if v.counts:
        flow.append(Spacer(1, 2))
        flow.append(_p(", ".join(f"{label}: {n}" for label, n in v.counts), st["body"]))
    if v.result:
        flow.append(_p(v.result, st["body"]))
    return flow


def _votes(votes: Sequence[VoteTable], st: dict[str, ParagraphStyle], width: float
           ) -> list[object]:
    flow: list[object] = []
    for v in votes:
        parts = _vote(v, st, width)
        # Keep a short vote on one page; a long one splits (and repeats its header).
        flow += [KeepTogether(parts)] if len(v.rows) <= 25 else parts
        flow.append(Spacer(1, 4))
    return flow


def _paragraph(p: MinutesParagraph, st: dict[str, ParagraphStyle], width: float, *,
               public: bool = False) -> list[object]:
    head = f"§ {p.number} {p.title}"
    if p.withheld:
        return [CondPageBreak(30 * mm), _p(head, st["h2"]),
                _p("Paragrafen omfattas av sekretess och redovisas inte i den offentliga "
                   "versionen.", st["small"])]
    flow: list[object] = [CondPageBreak(40 * mm), _p(head, st["h2"])]
    if case_line(p):
        flow.append(_p(case_line(p), st["small"]))
    if p.immediately_adjusted:
        flow.append(_p("Paragrafen justerades omedelbart.", st["small"]))
    if p.recusals:
        flow += [_p("Jäv", st["h3"])]
        flow += [_p(f"{x.name} anmäler jäv och deltar inte i handläggningen"
                    + (f" ({x.text})." if x.text and not public else "."), st["body"])
                 for x in p.recusals]
    if p.roster_changes:
        flow += [_p("Tjänstgöring", st["h3"])] + [_p(x, st["body"]) for x in p.roster_changes]
    if p.description:
        flow += [_p("Ärendebeskrivning", st["h3"]), _p(p.description, st["body"])]
    if p.text:
        flow += [_p("Beslutsunderlag", st["h3"]), _p(p.text, st["body"])]
    if p.proposals:
        flow.append(_p("Yrkanden", st["h3"]))
        flow += [_p(f"{x.number}. {x.author or x.kind}: {x.text}", st["body"])
                 for x in p.proposals]
    if p.proceedings:
        # The handling in the order it happened: questions put, votes, their results.
        flow.append(_p("Beslutsgång", st["h3"]))
        for step in p.proceedings:
            flow += _votes([step.vote], st, width) if step.vote else [_p(step.text, st["body"])]
    else:  # minutes frozen before the handling was kept in order
        if p.proposition_order:
            flow.append(_p("Propositionsordning", st["h3"]))
            flow += [_p(x, st["body"]) for x in p.proposition_order]
        if p.votes:
            flow.append(_p("Omröstning", st["h3"]))
            flow += _votes(p.votes, st, width)
    if p.decision:
        flow += [_p("Beslut", st["h3"]), _p(p.decision, st["body"])]
    if p.reservations:
        flow.append(_p("Reservation", st["h3"]))
        flow += [_p(f"{x.name} reserverar sig mot beslutet" + (f": {x.text}" if x.text else "."),
                    st["body"]) for x in p.reservations]
    if p.notes:
        flow.append(_p("Protokollsanteckning", st["h3"]))
        flow += [_p(f"{x.name}: {x.text}", st["body"]) for x in p.notes]
    if p.recipients:
        flow.append(_p("Beslutet skickas till", st["h3"]))
        flow += [_p(recipient_line(x), st["body"]) for x in p.recipients]
    return flow


def render_minutes_pdf(m: Minutes, *, kept_at: str = "") -> bytes:
    """Render the minutes; same ``Minutes`` -> same bytes."""
    _register_fonts()
    st = _styles()
    buf = BytesIO()
    title = f"Protokoll {m.body} {m.date}" + (" (offentlig version)" if m.public else "")
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=title, author=m.organisation or m.body,
        subject=f"Loggens kontrollsumma (SHA-256): {m.log_hash}", creator="Klubba",
        producer="Klubba (ReportLab)", invariant=1, lang="sv-SE",
    )
    width = doc.width
    moment = m.last_event_at or datetime(2000, 1, 1, tzinfo=UTC)

    def on_page(canvas, _doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas._doc._timeStamp = _FixedTimeStamp(moment)
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(22 * mm, 12 * mm, f"{m.body} – protokoll {m.date}")
        canvas.drawRightString(A4[0] - 22 * mm, 12 * mm, f"Sida {canvas.getPageNumber()}")
        canvas.restoreState()

    label_w = width * 0.38
    head: list[object] = []
    if m.organisation:
        head.append(_p(m.organisation, st["org"]))
    head += [_p("Protokoll", st["title"]), _p(m.body, st["h2"])]
    if m.public:
        head.append(_p("Offentlig version: uppgifter som omfattas av sekretess och "
                       "personnummer har utelämnats.", st["small"]))
    head.append(Spacer(1, 6))
    def grid(rows: list[list[str]], lines_after: Sequence[int] | None = None) -> Table:
        return _grid([[_p(a, st["label"]), _p(b, st["body"])] for a, b in rows],
                     [label_w, width - label_w], lines_after=lines_after)

    meeting_rows = [
        ["Sammanträdesdatum", m.date],
        ["Plats och tid", f"{m.place}, {m.date} kl. {m.time}"],
    ]
    if m.paragraphs:
        # The numbers, not the handling order: an item closed later may have the lower §.
        meeting_rows.append(["Paragrafer", paragraph_ranges(p.number for p in m.paragraphs)])
    # One table row per person, so a body of any size splits across pages.
    present_rows: list[list[str]] = []
    group_ends: list[int] = []
    for label, people in (("Beslutande", m.deciding), ("Ersättare", m.substitutes),
                          ("Övriga", m.others), ("Frånvarande", m.absent)):
        lines = [_person(r) for r in people] or ["–"]
        present_rows += [[label if i == 0 else "", line] for i, line in enumerate(lines)]
        group_ends.append(len(present_rows) - 1)
    if m.has_remote:
        present_rows.append(["Distansdeltagande", "Deltagare markerade ”på distans” deltog via "
                                                  "ljud- och bildöverföring."])
        group_ends.append(len(present_rows) - 1)
    head += [
        grid(meeting_rows),
        _p("Närvarande", st["h3"]), grid(present_rows, group_ends),
        _p("Justering", st["h3"]),
        grid([["Justerare", "\n".join(a.name for a in m.adjusters) or "–"],
              ["Justeringens plats och tid", m.justering]]),
    ]

    signatures: list[object] = [CondPageBreak(50 * mm), _p("Underskrifter", st["h2"])]
    signatures.append(_grid(
        [[_p(s.role, st["label"]), _p(s.name, st["body"]),
          _p("Elektroniskt underskriven (se signaturerna i PDF-filen)"
             if s.role != "Sekreterare" else "Vid protokollet", st["small"])]
         for s in m.signatures],
        [label_w, width * 0.3, width - label_w - width * 0.3],
    ) if m.signatures else _p("–", st["body"]))

    flow: list[object] = head + signatures
    for para in m.paragraphs:
        flow += _paragraph(para, st, width, public=m.public)

    flow += [CondPageBreak(60 * mm), _p("Anslagsbevis", st["h2"]),
             _p("Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
                st["body"]), Spacer(1, 3)]
    flow.append(_grid(
        [[_p(a, st["label"]), _p(b, st["body"])] for a, b in [
            ["Organ", m.body],
            ["Sammanträdesdatum", m.date],
            ["Datum då anslaget sätts upp", "Anges på den digitala anslagstavlan"],
            ["Sista dag för överklagande", "Tre veckor från den dag anslaget sätts upp"],
            ["Förvaringsplats för protokollet", kept_at or m.organisation or m.body],
        ]],
        [label_w, width - label_w],
    ))
    flow += [Spacer(1, 10), _p("Loggens kontrollsumma (SHA-256)", st["h3"]),
             _p(f"{m.log_hash} (händelse {m.log_seq})", st["small"])]

    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
