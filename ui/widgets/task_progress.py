"""Status-bar progress of running tasks, with a Cancel button for tasks that allow it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from i18n import N_, Translator
from ui.tasks import Task, TaskRunner

# Progress message codes the services report (``progress(done, total, message_code)``).
PROGRESS_MESSAGES: dict[str, str] = {
    "import_validated": N_("Checked; saving..."),
    "import_done": N_("Saved"),
    "export": N_("Writing the bundle..."),
    "encrypt": N_("Encrypting..."),
    "decrypt": N_("Decrypting..."),
    "render": N_("Preparing the document..."),
}


class TaskProgress(QWidget):
    """Shows the oldest running task; hidden when nothing runs."""

    def __init__(self, runner: TaskRunner, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._tr = translator
        self._current: Task | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(translator.gettext("Cancel"), self)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.started.connect(self._refresh)
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._refresh)
        runner.failed.connect(self._refresh)
        self._refresh()

    def _refresh(self, *args: object) -> None:
        del args
        running = self._runner.running()
        # Quick reads flash by; show the bar only for labelled (long) tasks.
        labelled = [t for t in running if t.label]
        self._current = labelled[0] if labelled else None
        self.setVisible(self._current is not None)
        if self._current is not None:
            self.label.setText(self._current.label)
            self.bar.setRange(0, 0)  # busy until the first report
            self.cancel_button.setVisible(self._current.cancellable)
            self.cancel_button.setEnabled(not self._current.cancelled)

    def _on_progress(self, task: Task, done: int, total: int, message_code: str) -> None:
        if task is not self._current:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        message = PROGRESS_MESSAGES.get(message_code)
        if message:
            self.label.setText(f"{task.label}: {self._tr.gettext(message)}")

    def _cancel(self) -> None:
        if self._current is not None:
            self._current.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self._tr.gettext("Cancelling..."))
