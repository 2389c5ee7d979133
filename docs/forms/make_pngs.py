"""Render the first page of every form (FICTITIOUS sample data) as the PNGs in this folder.

Run from the repository root: ``.venv/bin/python docs/forms/make_pngs.py`` (needs pdftoppm from
poppler-utils). Each form is shown with a different counterpart language.
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

LANGUAGE = {
    "handover_minutes": "km",
    "internal_handover": "vi",
    "reception_record": "lo",
    "verification_request": "zh_CN",
    "verification_reply": "en",
    "referral_summary": "zh_CN",
    "intake_report": "lo",
}


def main() -> None:
    """Write one PNG per form next to this script."""
    renderer = ReportLabFormRenderer()
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as scratch:
        for form_id, language in LANGUAGE.items():
            pdf = Path(scratch) / f"{form_id}.pdf"
            pdf.write_bytes(renderer.render(form_id, sample(form_id, language), language))
            target = here / f"{form_id}-{language}"
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-gray", "-f", "1", "-l", "1",
                            "-singlefile", str(pdf), str(target)], check=True)
            print(target.with_suffix(".png").name)


if __name__ == "__main__":
    main()
