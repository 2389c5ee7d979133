"""Charts of the statistics report, drawn with ``reportlab.graphics`` from released values only.

A withheld entry ("<5", "x") has no number to draw: its bar is left out and the value is written
where the bar would stand, so a chart never shows more than the table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from forms.fonts import Script, face_for, register_fonts

PALETTE = (
    colors.Color(0.16, 0.38, 0.62),
    colors.Color(0.85, 0.47, 0.16),
    colors.Color(0.30, 0.60, 0.35),
    colors.Color(0.55, 0.35, 0.65),
    colors.Color(0.55, 0.55, 0.55),
)


def _number(text: str) -> float | None:
    return float(text) if text.isdigit() else None


def _font() -> str:
    register_fonts()
    return face_for(Script.LATIN).name


def time_bars(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[str]]],
    width: float,
    height: float,
) -> Drawing:
    """Grouped bars: one group per period, one bar per series (a country).

    Args:
        periods: the period labels on the x axis.
        series: (name, published texts per period) for each bar of a group.
        width: drawing width in points.
        height: drawing height in points.
    """
    font = _font()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 42
    chart.width, chart.height = width - 44, height - 62
    chart.data = [[_number(t) or 0 for t in texts] for _, texts in series] or [[0]]
    chart.categoryAxis.categoryNames = list(periods)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if len(periods) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(periods) > 6 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.barSpacing = 0.8
    chart.groupSpacing = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    _withheld_marks(drawing, chart, series)
    _legend(drawing, [name for name, _ in series], font, 34, 4)
    return drawing


def _withheld_marks(drawing: Drawing, chart: VerticalBarChart,
                    series: Sequence[tuple[str, Sequence[str]]]) -> None:
    groups = len(series[0][1]) if series else 0
    if not groups:
        return
    font = _font()
    group_width = chart.width / groups
    bars = len(series)
    inner = group_width - chart.groupSpacing
    bar_width = inner / max(1, bars)
    for s, (_, texts) in enumerate(series):
        for g, text in enumerate(texts):
            if _number(text) is None:
                x = chart.x + g * group_width + chart.groupSpacing / 2 + (s + 0.5) * bar_width
                drawing.add(String(x, chart.y + 2, text, fontName=font, fontSize=5.5,
                                   textAnchor="middle", fillColor=PALETTE[s % len(PALETTE)]))


def _legend(drawing: Drawing, names: Sequence[str], font: str, x: float, y: float) -> None:
    from reportlab.graphics.shapes import Rect

    for index, name in enumerate(names):
        drawing.add(Rect(x, y + 1, 7, 7, fillColor=PALETTE[index % len(PALETTE)], strokeColor=None))
        drawing.add(String(x + 10, y + 2, name, fontName=font, fontSize=7))
        x += 20 + 4.2 * len(name)


def horizontal_bars(labels: Sequence[str], texts: Sequence[str], width: float) -> Drawing:
    """One bar per row (e.g. ethnic groups), withheld rows written instead of drawn."""
    font = _font()
    row_height = 12
    height = 24 + row_height * max(1, len(labels))
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 120, 12
    chart.width, chart.height = width - 150, row_height * max(1, len(labels))
    chart.data = [[_number(t) or 0 for t in reversed(texts)] or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6.5
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda value: ""  # values stand in the table; withheld ones below
    drawing.add(chart)
    for index, text in enumerate(reversed(texts)):
        if _number(text) is None:
            y = chart.y + (index + 0.5) * (chart.height / max(1, len(labels))) - 2.5
            drawing.add(String(chart.x + 3, y, text, fontName=font, fontSize=6.5))
    return drawing
