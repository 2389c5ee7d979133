"""Vendor the form fonts into forms/fonts/: copy the Noto TTFs, convert and subset Noto Sans CJK SC.

ReportLab only embeds TrueType (glyf) outlines, and Noto Sans CJK ships CFF outlines, so the
Simplified Chinese face is subset to GB2312 plus punctuation and converted CFF -> glyf once here
(docs/stack-notes.md, PDF text). Run on Debian 12 after
``apt-get install -y fonts-noto-core fonts-noto-cjk``::

    .venv/bin/python tools/build_fonts.py            # copy + convert (about 30 s on 2 cores)
    .venv/bin/python tools/build_fonts.py --check    # verify the vendored files only
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from forms.cjk import otf_to_ttf

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "forms" / "fonts"
NOTO_TTF = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC_INDEX = 2  # the collection holds JP, KR, SC, TC, HK: index 2 is Simplified Chinese
CJK_OUT = "NotoSansSC-GB2312.ttf"
COPIED = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansKhmer-Regular.ttf",
    "NotoSansKhmer-Bold.ttf",
    "NotoSansLao-Regular.ttf",
    "NotoSansLao-Bold.ttf",
)
# Punctuation a Chinese form line uses beyond GB2312's own (full-width forms, quotes, dashes).
EXTRA_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·～＋－／％＃＠＆＝＜＞［］｛｝"


def gb2312_chars() -> set[str]:
    """Every character of the GB2312 code set (6,763 hanzi plus its symbols)."""
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars




def build_cjk(target: Path) -> None:
    """Subset Noto Sans CJK SC to ASCII + GB2312 + punctuation and convert it to TrueType."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(EXTRA_PUNCTUATION) | gb2312_chars()
    font = TTCollection(str(NOTO_CJK)).fonts[CJK_SC_INDEX]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    otf_to_ttf(font)
    font.save(str(target))


def check(directory: Path) -> list[str]:
    """Problems with the vendored fonts (missing file, CFF outlines); empty when all is well."""
    problems = []
    for name in (*COPIED, CJK_OUT):
        path = directory / name
        if not path.exists():
            problems.append(f"missing {name}")
            continue
        font = TTFont(str(path), lazy=True)
        if "glyf" not in font:
            problems.append(f"{name} has no glyf table (ReportLab needs TrueType outlines)")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Copy and build the fonts, then print their sizes and SHA-256."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify forms/fonts/")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        for name in COPIED:
            shutil.copyfile(NOTO_TTF / name, args.out / name)
        build_cjk(args.out / CJK_OUT)
    problems = check(args.out)
    for name in (*COPIED, CJK_OUT):
        path = args.out / name
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            print(f"{name:28} {path.stat().st_size:>9,} B  sha256 {digest}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
