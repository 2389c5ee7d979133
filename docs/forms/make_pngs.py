"""Render the first page of every form in every language (FICTITIOUS data) as PNGs here.

Run from the repository root: ``.venv/bin/python docs/forms/make_pngs.py`` (needs pdftoppm from
poppler-utils). ``FORM-LANGUAGE.png``: Vietnamese beside that language ("vi": Vietnamese only).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forms.renderer import ReportLabFormRenderer  # noqa: E402
from forms.samples import sample  # noqa: E402

LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")


def main() -> None:
    """Write one PNG per form and language next to this script."""
    renderer = ReportLabFormRenderer()
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as scratch:
        for form_id in renderer.form_ids():
            for language in LANGUAGES:
                pdf = Path(scratch) / f"{form_id}.pdf"
                pdf.write_bytes(renderer.render(form_id, sample(form_id, language), language))
                target = here / f"{form_id}-{language}"
                subprocess.run(["pdftoppm", "-r", "70", "-png", "-gray", "-f", "1", "-l", "1",
                                "-singlefile", str(pdf), str(target)], check=True)
                print(target.with_suffix(".png").name)

if __name__ == "__main__":
    main()
