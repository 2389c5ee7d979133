"""A small QPainter bar chart (Qt Charts is not installed): grouped vertical or horizontal bars.

Values are published counts; ``None`` stands for a withheld count, drawn as its text ("<5", "x")
instead of a bar, so a chart never shows more than the table it illustrates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#29609e", "#d97829", "#4d9959", "#8c59a6", "#8c8c8c", "#b94a48")


@dataclass(frozen=True)
class Series:
    """One colour of bars: a value (or withheld text) per category."""

    name: str
    values: tuple[int | None, ...]
    texts: tuple[str, ...] = ()  # what to write for a withheld value (defaults to "x")


class BarChart(QWidget):
    """Grouped bars with a title, axis ticks and a legend; ``horizontal`` for long name lists."""

    def __init__(self, title: str = "", horizontal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.empty_text = ""  # written in the middle when there is nothing to draw
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 180)

    def set_data(self, categories: Sequence[str], series: Sequence[Series], title: str | None = None) -> None:
        """Replace what is drawn."""
        self.categories = tuple(categories)
        self.series = tuple(series)
        if title is not None:
            self.title = title
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def maximum(self) -> int:
        """The largest drawn value (the axis top is a round number above it)."""
        values = [v for s in self.series for v in s.values if v is not None]
        return max(values, default=0)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        top = 6.0
        if self.title:
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                QRectF(6, 4, self.width() - 12, metrics.height() + 2), Qt.AlignmentFlag.AlignLeft, self.title
            )
            painter.setFont(font)
            top += metrics.height() + 6
        legend = metrics.height() + 8 if len(self.series) > 1 else 0
        area = QRectF(6, top, self.width() - 12, self.height() - top - legend - 4)
        if self.categories and self.series:
            if self.horizontal:
                self._paint_horizontal(painter, area)
            else:
                self._paint_vertical(painter, area)
        elif self.empty_text:
            painter.setPen(QColor("#666666"))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.empty_text)
        if legend:
            self._paint_legend(painter, self.height() - legend + 2)
        painter.end()

    def _top(self) -> int:
        peak = max(1, self.maximum())
        step = 1
        for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
            step = candidate
            if peak / candidate <= 5:
                break
        return ((peak + step - 1) // step) * step

    def _paint_vertical(self, painter: QPainter, area: QRectF) -> None:
        metrics = painter.fontMetrics()
        top_value = self._top()
        left = area.left() + metrics.horizontalAdvance(str(top_value)) + 6
        bottom = area.bottom() - metrics.height() - 4
        plot = QRectF(left, area.top() + 4, area.right() - left, bottom - area.top() - 4)
        self._grid(painter, plot, top_value, vertical=True)
        group = plot.width() / len(self.categories)
        bar = max(1.0, (group * 0.8) / len(self.series))
        for c, name in enumerate(self.categories):
            x0 = plot.left() + c * group + group * 0.1
            for s, series in enumerate(self.series):
                value = series.values[c] if c < len(series.values) else 0
                x = x0 + s * bar
                if value is None:
                    painter.setPen(QColor(PALETTE[s % len(PALETTE)]))
                    painter.drawText(
                        QRectF(x - 8, plot.bottom() - metrics.height() - 1, bar + 16, metrics.height()),
                        Qt.AlignmentFlag.AlignCenter,
                        _withheld_text(series, c),
                    )
                    continue
                height = plot.height() * value / top_value
                painter.fillRect(
                    QRectF(x, plot.bottom() - height, bar - 1, height), QColor(PALETTE[s % len(PALETTE)])
                )
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(plot.left() + c * group, plot.bottom() + 2, group, metrics.height() + 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextDontClip,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(group)),
            )

    def _paint_horizontal(self, painter: QPainter, area: QRectF) -> None:
        metrics = painter.fontMetrics()
        top_value = self._top()
        label_width = min(area.width() * 0.4, max(metrics.horizontalAdvance(c) for c in self.categories) + 8)
        plot = QRectF(
            area.left() + label_width,
            area.top(),
            area.width() - label_width - 8,
            area.height() - metrics.height() - 4,
        )
        self._grid(painter, plot, top_value, vertical=False)
        row = plot.height() / len(self.categories)
        bar = max(1.0, (row * 0.75) / len(self.series))
        for c, name in enumerate(self.categories):
            y0 = plot.top() + c * row + row * 0.125
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(area.left(), plot.top() + c * row, label_width - 6, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(label_width - 6)),
            )
            for s, series in enumerate(self.series):
                value = series.values[c] if c < len(series.values) else 0
                y = y0 + s * bar
                if value is None:
                    painter.setPen(QColor(PALETTE[s % len(PALETTE)]))
                    painter.drawText(
                        QRectF(plot.left() + 3, y, 60, bar),
                        Qt.AlignmentFlag.AlignVCenter,
                        _withheld_text(series, c),
                    )
                    continue
                width = plot.width() * value / top_value
                painter.fillRect(QRectF(plot.left(), y, width, bar - 1), QColor(PALETTE[s % len(PALETTE)]))

    def _grid(self, painter: QPainter, plot: QRectF, top_value: int, vertical: bool) -> None:
        metrics = painter.fontMetrics()
        painter.setPen(QPen(QColor("#dddddd"), 1))
        for tick in range(0, 6):
            value = top_value * tick / 5
            if vertical:
                y = plot.bottom() - plot.height() * tick / 5
                painter.setPen(QPen(QColor("#dddddd"), 1))
                painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
                painter.setPen(QColor("#555555"))
                painter.drawText(
                    QRectF(0, y - metrics.height() / 2, plot.left() - 4, metrics.height()),
                    Qt.AlignmentFlag.AlignRight,
                    f"{value:g}",
                )
            else:
                x = plot.left() + plot.width() * tick / 5
                painter.setPen(QPen(QColor("#dddddd"), 1))
                painter.drawLine(int(x), int(plot.top()), int(x), int(plot.bottom()))
                painter.setPen(QColor("#555555"))
                painter.drawText(
                    QRectF(x - 30, plot.bottom() + 2, 60, metrics.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    f"{value:g}",
                )
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))
        painter.drawLine(int(plot.left()), int(plot.top()), int(plot.left()), int(plot.bottom()))

    def _paint_legend(self, painter: QPainter, y: float) -> None:
        metrics = painter.fontMetrics()
        x = 10.0
        for s, series in enumerate(self.series):
            painter.fillRect(QRectF(x, y + 2, 10, 10), QColor(PALETTE[s % len(PALETTE)]))
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(x + 14, y, 400, metrics.height() + 2), Qt.AlignmentFlag.AlignLeft, series.name
            )
            x += 24 + metrics.horizontalAdvance(series.name)


def _withheld_text(series: Series, index: int) -> str:
    return series.texts[index] if index < len(series.texts) and series.texts[index] else "x"
