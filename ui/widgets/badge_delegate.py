"""Paints a cell as a coloured rounded badge when the model gives colours in BADGE_ROLE."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.table_models.base import BADGE_ROLE


class BadgeDelegate(QStyledItemDelegate):
    """Status and deadline badges: the colour carries the meaning, the text says it too."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        colours = index.data(BADGE_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not colours or not text:
            super().paint(painter, option, index)
            return
        background, foreground = colours
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = min(option.rect.width() - 8, metrics.horizontalAdvance(str(text)) + 16)
        height = metrics.height() + 4
        rect = QRectF(
            option.rect.x() + 4, option.rect.y() + (option.rect.height() - height) / 2, width, height
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(foreground))
        elided = metrics.elidedText(str(text), Qt.TextElideMode.ElideRight, int(width) - 12)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()
