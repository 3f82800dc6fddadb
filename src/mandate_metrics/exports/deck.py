"""The PowerPoint deck: the briefing's slides with native, editable charts and speaker notes.

Charts are python-pptx chart objects (not pictures), so staff can restyle them and the numbers
stay inspectable in PowerPoint's data sheet. Every slide carries the data version and as-of date,
and "illustrative" wherever its numbers rest on sample data. Building it needs no browser.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any
from unicodedata import east_asian_width

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_PATTERN_TYPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide as PptxSlide
from pptx.util import Inches, Length, Pt

from mandate_metrics.briefing import Briefing, ChartData, Slide
from mandate_metrics.exports import qr
from mandate_metrics.figures.labels import label_positions, lowest
from mandate_metrics.i18n import DEFAULT_LOCALE, direction, isolate, language, t
from mandate_metrics.palette import PALETTE

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, what projectors and Teams expect
INK, MUTED, WARN = RGBColor(0x1B, 0x1F, 0x24), RGBColor(0x4B, 0x55, 0x63), RGBColor(0x92, 0x40, 0x0E)
CHART_TYPES = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
}
MONEY_FORMAT = '$#,##0.0,,"M"'
COUNT_FORMAT = "#,##0"
# Arabic runs name a complex-script font PowerPoint and LibreOffice either have or substitute
# (Noto Sans Arabic ships with the dashboard; Office falls back to its own Arabic face).
ARABIC_FONT, ARABIC_LANG = "Noto Sans Arabic", "ar-SY"
# Chinese runs name an East Asian font the same way (Office substitutes its own Chinese face).
CHINESE_FONT, CHINESE_LANG = "Noto Sans SC", "zh-CN"


def _text(
    slide: PptxSlide,
    left: Length,
    top: Length,
    width: Length,
    height: Length,
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: RGBColor = INK,
    italic: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    name: str = "",
) -> None:
    """A text box of one run.

    ``name`` marks small print (a source line, the footer, an address), held to ``NOTE`` rather
    than ``BODY``; the tests read the names.
    """
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    run.font.color.rgb = colour


# Sizes are chosen so that text fits its box, estimated from its length: no font metrics are needed
# and the estimate errs wide (an average sans glyph is about half an em; a bold one wider still).
EM, EM_BOLD, LEADING = 0.55, 0.7, 1.2
BODY, NOTE = 18, 11  # the smallest body text and the smallest note or footer, in points (issue 19)
SMALL_PRINT = "Small print"  # the name of a box held to NOTE: a source line, the footer, an address


def _lines(text: str, width: float, size: float, em: float = EM) -> int:
    """How many lines ``text`` takes in a box ``width`` inches wide at ``size`` points."""
    per_line = max(1, int(width * 72 / (size * em)))
    return sum(max(1, -(-_columns(part) // per_line)) for part in text.split("\n"))


def _columns(text: str) -> int:
    """How many average glyphs wide ``text`` is: a Chinese character (East Asian wide) counts two."""
    return sum(2 if east_asian_width(c) in ("W", "F") else 1 for c in text)


def fitting(text: str, width: float, height: float, largest: int, smallest: int, em: float = EM) -> int:
    """The largest size from ``largest`` down to ``smallest`` at which ``text`` fits the box (inches)."""
    for size in range(largest, smallest, -1):
        if _lines(text, width, size, em) * size * LEADING / 72 <= height:
            return size
    return smallest


def _hex(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def _chart(slide: PptxSlide, data: ChartData, rtl: bool = False, locale: str = DEFAULT_LOCALE) -> None:
    chart_data = CategoryChartData(number_format=MONEY_FORMAT if data.money else COUNT_FORMAT)
    # Dates as categories give PowerPoint a date axis: observations are spaced by time.
    chart_data.categories = list(data.dates) if data.dates else list(data.categories)
    for name, values in data.series:
        chart_data.add_series(name, [None if v is None else float(v) for v in values])
    frame: Any = slide.shapes.add_chart(
        CHART_TYPES[data.kind],
        Inches(0.7),
        Inches(2.1),
        Inches(11.9),
        Inches(4.6),
        chart_data,  # type: ignore[arg-type]
    )
    chart = frame.chart
    chart.has_legend = len(data.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(16)
    chart.font.size = Pt(14)
    plot = chart.plots[0]
    plot.has_data_labels = True  # values readable without hovering or opening the data sheet
    labels = plot.data_labels
    labels.font.size = Pt(14)  # chart labels: 14 pt at least, read from the back of a room
    labels.number_format = MONEY_FORMAT if data.money else COUNT_FORMAT
    labels.number_format_is_linked = False
    if data.kind == "line":
        labels.position = XL_LABEL_POSITION.ABOVE
    for index, series in enumerate(plot.series):
        colour = _hex(data.colours[index] if data.colours else PALETTE[index % len(PALETTE)])
        if data.kind == "line":
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(3)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
            flags = data.illustrative[index] if data.illustrative else ()
            for point, flag in enumerate(flags):
                if flag:  # illustrative values are hatched, as on the dashboard
                    fill = series.points[point].format.fill
                    fill.patterned()
                    fill.pattern = MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL
                    fill.fore_color.rgb = colour
                    fill.back_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if data.kind == "bar":
        chart.category_axis.reverse_order = True  # largest first, top to bottom
        chart.value_axis.visible = False
        chart.value_axis.reverse_order = rtl  # right to left: bars grow leftwards
    elif rtl:  # right to left: time and categories start on the right, the value axis stands there
        chart.category_axis.reverse_order = True
    chart.value_axis.has_major_gridlines = data.kind != "bar"
    chart.value_axis.tick_labels.font.size = Pt(14)
    chart.value_axis.tick_labels.number_format = MONEY_FORMAT if data.money else COUNT_FORMAT
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.has_title = False  # the slide title and takeaway say what the chart shows
    if data.dates:
        chart.category_axis.tick_labels.number_format = DATE_AXIS
        chart.category_axis.tick_labels.number_format_is_linked = False
        _yearly(chart, data.dates)
        _span_gaps(chart)
        if data.kind == "line":
            _spread_labels(plot, data, rtl)
            # no "0" at the corner, where it met the first year's label
            chart.value_axis.tick_labels.number_format = COUNT_FORMAT + ";-" + COUNT_FORMAT + ";"


# Plotly's label places (figures.labels) as PowerPoint's; right to left, left and right swap.
PLACES = {
    "top center": XL_LABEL_POSITION.ABOVE,
    "bottom center": XL_LABEL_POSITION.BELOW,
    "bottom right": XL_LABEL_POSITION.RIGHT,
    "bottom left": XL_LABEL_POSITION.LEFT,
}


def _spread_labels(plot: Any, data: ChartData, rtl: bool) -> None:
    """Each point's value label where it cannot print on a close one (367 and 375, weeks apart).

    The rule the screen uses: the lower line's labels below its points, close points spread apart.
    """
    low = lowest([values for _, values in data.series])
    top = max((v for _, values in data.series for v in values if v is not None), default=0.0)
    for index, ((_, values), series) in enumerate(zip(data.series, plot.series, strict=True)):
        points = [i for i, v in enumerate(values) if v is not None]
        places = label_positions([data.dates[i] for i in points], index == low)
        for point, place in zip(points, places, strict=True):
            label = series.points[point].data_label
            value = values[point] or 0.0
            if index == low and point != points[-1] and value < NEAR_ZERO * top:
                _no_label(label)  # below a point on the axis it would print on the dates
                continue
            if rtl and place in ("bottom right", "bottom left"):
                place = "bottom left" if place == "bottom right" else "bottom right"
            label.position = PLACES[place]


def _no_label(label: Any) -> None:
    """No value label at this point (``c:dLbl`` with ``c:delete``); the value stays in the data sheet."""
    element = label._get_or_add_dLbl()
    for child in list(element):
        if child.tag != qn("c:idx"):
            element.remove(child)
    deleted = OxmlElement("c:delete")
    deleted.set("val", "1")
    element.append(deleted)


# A date axis shows years, one tick a year, in every language: a month under every point was
# dense and turned on its side, and PowerPoint names months in the viewer's language unless the
# format names one (no viewer has the UN's double Arabic month names, "أيار/مايو"). The dates of
# the points are in each label's value and the notes.
DATE_AXIS = "yyyy"
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of the serial dates a chart's axis is scaled in
EDGE_DAYS = 45  # a first point this close after 1 January starts the axis a year earlier
NEAR_ZERO = 0.1  # the lower line's labels under this share of the top sit on the axis' labels


def _yearly(chart: Any, dates: tuple[date, ...]) -> None:
    """One tick a year on the date axis, from 1 January (``c:majorUnit``, ``c:majorTimeUnit``).

    The axis runs from the 1 January before the first point to the one after the last, so each
    year's label stands at its start and the first and last points have room for their labels.
    """
    axis = chart._chartSpace.xpath(".//c:dateAx")
    if not axis:
        return
    first = date(dates[0].year - (dates[0].timetuple().tm_yday <= EDGE_DAYS), 1, 1)
    chart.category_axis.minimum_scale = (first - EXCEL_EPOCH).days
    chart.category_axis.maximum_scale = (date(dates[-1].year + 1, 1, 1) - EXCEL_EPOCH).days
    base = axis[0].find(qn("c:baseTimeUnit"))
    for name, value in (("c:majorTimeUnit", "years"), ("c:majorUnit", "1")):
        element = OxmlElement(name)
        element.set("val", value)
        if base is not None:
            base.addnext(element)
        else:
            axis[0].append(element)


def _span_gaps(chart: Any) -> None:
    """Draw a line across a date its series has no figure for (``c:dispBlanksAs val="span"``).

    python-pptx does not model the element; the schema puts it right after ``c:plotVisOnly``.
    """
    element = chart._chartSpace.chart
    blanks = element.find(qn("c:dispBlanksAs"))
    if blanks is None:
        blanks = OxmlElement("c:dispBlanksAs")
        anchor = element.find(qn("c:plotVisOnly"))
        if anchor is not None:
            anchor.addnext(blanks)
        else:
            element.append(blanks)
    blanks.set("val", "span")


def _figures(slide: PptxSlide, figures: tuple[tuple[str, str, str], ...], compact: bool) -> float:
    """The big figures side by side, compact when a quote or bullets follow; returns their bottom."""
    inches = 12.1 / len(figures) - 0.1
    width = Inches(inches)
    value_size, top = (40, 2.0) if compact else (60, 2.3)
    label_top, note_top, bottom = (top + 0.95, top + 1.75, top + 2.5) if compact else (3.5, 4.55, 6.2)
    label_size = min(fitting(label, inches, note_top - label_top - 0.05, 20, BODY) for label, _, _ in figures)
    # one size for every value of the slide, the largest at which each fits its box (wrapping)
    high = label_top - top - 0.05
    value_size = min(fitting(value, inches - 0.1, high, value_size, 24, EM_BOLD) for _, value, _ in figures)
    for index, (label, value, published) in enumerate(figures):
        left = Length(Inches(0.6) + index * (width + Inches(0.1)))
        _text(
            slide, left, Inches(top), width, Inches(high), value, value_size, bold=True, align=PP_ALIGN.CENTER
        )
        _text(
            slide,
            left,
            Inches(label_top),
            width,
            Inches(note_top - label_top),
            label,
            label_size,
            align=PP_ALIGN.CENTER,
        )
        _text(
            slide,
            left,
            Inches(note_top),
            width,
            Inches(bottom - note_top),
            published,
            fitting(published, inches, bottom - note_top, 12, NOTE),
            colour=MUTED,
            align=PP_ALIGN.CENTER,
            name=SMALL_PRINT,
        )
    return bottom


def _slide(prs: Any, briefing: Briefing, slide: Slide, number: int, locale: str) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[6])  # blank: we place every element ourselves
    title = fitting(slide.title, 12, 0.8, 34, 24, EM_BOLD)  # one line: the takeaway starts below it
    _text(page, Inches(0.6), Inches(0.35), Inches(12), Inches(0.8), slide.title, title, bold=True)
    takeaway = fitting(slide.takeaway, 12, 0.8, 22, BODY)
    _text(page, Inches(0.6), Inches(1.15), Inches(12), Inches(0.8), slide.takeaway, takeaway, colour=MUTED)
    # The parts stack from the top, so figures, a quote and bullets on one slide never overlap.
    compact = sum((bool(slide.figures), slide.quote is not None, bool(slide.bullets))) > 1
    top = 2.0
    if slide.figures:
        top = _figures(page, slide.figures, compact) + 0.1
    if slide.chart is not None and slide.chart.categories:
        _chart(page, slide.chart, rtl=direction(locale) == "rtl", locale=locale)
        top = 6.8
    if slide.quote is not None:
        largest, height = (20, 1.5) if compact else (30, 2.8)
        size = fitting(slide.quote[0], 10.9, height, largest, BODY)
        _text(
            page,
            Inches(1.2),
            Inches(top + 0.2),
            Inches(10.9),
            Inches(height),
            slide.quote[0],
            size,
            italic=True,
        )
        _text(
            page,
            Inches(1.2),
            Inches(top + 0.25 + height),
            Inches(10.9),
            Inches(0.5),
            f"— {slide.quote[1]}",
            BODY,
            colour=MUTED,
        )
        top += height + 0.8
    if slide.link:  # the Sources page's QR code at the right, the list beside it
        _link(page, slide.link, top, locale)
    left_out: tuple[str, ...] = ()
    if slide.bullets:
        width, height = (10.0 if slide.link else 12.1), max(0.6, 6.75 - top)
        listed, left_out = _list(slide, width - 0.2, height, locale)
        _text(
            page,
            Inches(0.6),
            Inches(top),
            Inches(width),
            Inches(height),
            listed,
            fitting(listed, width - 0.2, height, 20, BODY),  # read from the back of a room
        )
    footer = briefing.stamp + f" · {number}/{len(briefing.slides)}"
    if slide.illustrative:
        footer += " · " + t("brief.illustrative", locale)
    if slide.chart is not None and any(any(flags) for flags in slide.chart.illustrative):
        footer += " · " + t("brief.hatched", locale)
    _text(
        page,
        Inches(0.6),
        Inches(6.85),
        Inches(12.1),
        Inches(0.6),
        footer,
        14,  # legible from the back of a room, and printed
        colour=WARN if slide.illustrative else MUTED,
        name=SMALL_PRINT,
    )
    notes = [slide.notes, t("brief.sources.title", locale) + ": " + "; ".join(slide.sources), briefing.stamp]
    if left_out:  # the items the slide had no room for at a size read from the back of the room
        notes.insert(1, "\n".join([slide.list_title, *(f"• {b}" for b in left_out)]))
    if slide.illustrative:
        notes.append(t("brief.illustrative", locale))
    page.notes_slide.notes_text_frame.text = "\n\n".join(n for n in notes if n)


def _list(slide: Slide, width: float, height: float, locale: str) -> tuple[str, tuple[str, ...]]:
    """The list as the slide shows it, and the items left for the notes: as many as fit at body size.

    Items come most recent or most cited first, so the last ones give way.
    """
    heading = [slide.list_title] if slide.list_title else []
    shown = len(slide.bullets)
    while True:
        # each item isolated: an English title keeps its words and marks in order in an Arabic deck
        listed = "\n".join(heading + [f"• {isolate(b, locale)}" for b in slide.bullets[:shown]])
        if shown == 1 or _lines(listed, width, BODY) * BODY * LEADING / 72 <= height:
            return listed, slide.bullets[shown:]
        shown -= 1


def _link(page: PptxSlide, address: str, top: float, locale: str) -> None:
    """The QR code of ``address`` and the address under it, in the right-hand column."""
    side = 1.9
    picture = io.BytesIO(qr.png(address))
    page.shapes.add_picture(picture, Inches(10.9), Inches(top), Inches(side), Inches(side))
    _text(
        page,
        Inches(10.7),
        Inches(top + side + 0.05),
        Inches(2.3),
        Inches(0.9),
        qr.caption(address, locale),
        12,
        align=PP_ALIGN.CENTER,
        name=SMALL_PRINT,
    )


def _right_to_left(frame: Any) -> None:
    """Every paragraph right to left and right-aligned (centred ones stay centred).

    Every run is marked Arabic with a complex-script font; python-pptx has no API for either, so
    the XML is set (``a:pPr rtl="1"``, ``a:rPr lang``, ``a:cs``).
    """
    for paragraph in frame.paragraphs:
        if paragraph.alignment in (None, PP_ALIGN.LEFT):
            paragraph.alignment = PP_ALIGN.RIGHT
        paragraph._p.get_or_add_pPr().set("rtl", "1")
        for run in paragraph.runs:
            properties = run._r.get_or_add_rPr()
            properties.set("lang", ARABIC_LANG)
            script = properties.find(qn("a:cs"))
            if script is None:
                script = OxmlElement("a:cs")
                properties.append(script)
            script.set("typeface", ARABIC_FONT)


def _east_asian(frame: Any) -> None:
    """Every run marked Chinese with an East Asian font (``a:rPr lang``, ``a:ea``).

    PowerPoint and LibreOffice then draw it with a Chinese face and break lines the Chinese way.
    """
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            properties = run._r.get_or_add_rPr()
            properties.set("lang", CHINESE_LANG)
            properties.set("altLang", "en-US")
            script = properties.find(qn("a:ea"))
            if script is None:
                script = OxmlElement("a:ea")
                properties.append(script)
            script.set("typeface", CHINESE_FONT)


def _marking(locale: str) -> Callable[[Any], None] | None:
    """How a language's runs are marked in the XML: Arabic right to left, Chinese East Asian."""
    if direction(locale) == "rtl":
        return _right_to_left
    return _east_asian if language(locale) == "zh" else None


def deck_bytes(briefing: Briefing, locale: str = DEFAULT_LOCALE) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = t("app.title", locale) + " — " + briefing.stamp
    for number, slide in enumerate(briefing.slides, start=1):
        _slide(prs, briefing, slide, number, locale)
    marking = _marking(locale)
    if marking is not None:
        for page in prs.slides:
            for shape in page.shapes:
                if shape.has_text_frame:
                    marking(shape.text_frame)
            marking(page.notes_slide.notes_text_frame)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
