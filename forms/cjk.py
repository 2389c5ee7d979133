"""Han characters beyond the vendored GB2312 face, cut from the full Noto Sans CJK SC at print time.

The vendored ``NotoSansSC-GB2312.ttf`` (4 MB) covers the labels and most names. A name such as
王喆, 李玥 or 劉小明 needs the rest of the Han repertoire: every CJK Unified Ideograph with
Extension A and B, the compatibility ideographs and the traditional forms, 30,289 characters in
Noto Sans CJK SC. Converted whole to TrueType that face is 16 MB, more than the installer's size
budget allows, so it is read from the system (Debian's ``fonts-noto-cjk``; the .deb depends on
it) and each character a document needs is cut from it as a face of its own: subset, converted
from CFF to TrueType outlines (ReportLab embeds only those) and registered under a name of its
own, the whole document's characters in one pass of about 3 s the first time, then kept in the
user's cache folder. One character per face keeps the output the same whatever was printed
before in the process; ReportLab embeds each as a subset of a few kilobytes.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from platformdirs import user_cache_dir

ENV_FONT = "REPATRIATION_CJK_FONT"  # a Noto Sans CJK / Source Han Sans .ttc or .otf
ENV_CACHE = "REPATRIATION_FONT_CACHE"
SYSTEM_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian, Ubuntu
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),  # Fedora, Arch
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN")
PREFIX = "RD-NotoSansCJK-X"
BUILD = 1  # bump when the way a face is cut changes (cached faces are then rebuilt)

_lock = threading.Lock()


def source() -> tuple[Path, int] | None:
    """The full CJK face (file and face index) this machine has, or ``None``."""
    override = os.environ.get(ENV_FONT)
    for path in (Path(override),) if override else SYSTEM_FONTS:
        if path.is_file():
            return path, _sc_index(path)
    return None


@cache
def _sc_index(path: Path) -> int:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    for index, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        if font["name"].getDebugName(1) in FAMILIES:
            return index
    return 0


@cache
def _cmap() -> frozenset[int]:
    found = source()
    if found is None:
        return frozenset()
    path, index = found
    return frozenset(TTFont(str(path), fontNumber=index, lazy=True).getBestCmap())


def has(char: str) -> bool:
    """Whether the full CJK face of this machine has ``char``."""
    return ord(char) in _cmap()


def face_name(char: str) -> str:
    """The ReportLab font name of the face that prints one character."""
    return f"{PREFIX}{ord(char):05X}"


def cache_dir() -> Path:
    """Where built faces are kept between runs."""
    override = os.environ.get(ENV_CACHE)
    return Path(override) if override else Path(user_cache_dir("RepatriationDesk")) / "fonts"


def face_file(char: str) -> Path:
    """Where the face of ``char`` is kept (named after the source file, so an update rebuilds)."""
    found = source()
    if found is None:
        raise FileNotFoundError("no Noto Sans CJK face installed")
    stat = found[0].stat()
    return cache_dir() / f"{face_name(char)}-{stat.st_size}-{int(stat.st_mtime)}-{BUILD}.ttf"


def prepare(chars: Iterable[str]) -> None:
    """Build the faces of ``chars`` not built yet, in one pass over the full face.

    Cutting anything from the 65,000-glyph CFF face costs about 3 s whatever is cut, so a
    document's characters are cut together first, then each from that small font (milliseconds).
    """
    wanted = sorted({c for c in chars if has(c) and not face_file(c).exists()})
    if not wanted:
        return
    found = source()
    assert found is not None
    with _lock:
        wanted = [c for c in wanted if not face_file(c).exists()]
        if not wanted:
            return
        font = TTFont(str(found[0]), fontNumber=found[1])
        _cut(font, [ord(c) for c in wanted])
        batch = io.BytesIO()
        font.save(batch)
        for char in wanted:
            one = TTFont(io.BytesIO(batch.getvalue()))
            _cut(one, [ord(char)])
            otf_to_ttf(one)
            # A PostScript name of its own: ReportLab treats two fonts with one face name as
            # the same font. The OFL face declares no Reserved Font Name: renaming is allowed.
            for record in one["name"].names:
                if record.nameID == 6:
                    record.string = f"NotoSansCJKsc-Regular-U{ord(char):05X}"
            out = io.BytesIO()
            one.save(out)
            target = face_file(char)
            target.parent.mkdir(parents=True, exist_ok=True)
            scratch = target.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_bytes(out.getvalue())
            os.replace(scratch, target)  # atomic: another process may build the same face


def _cut(font: TTFont, codes: list[int]) -> None:
    options = subset.Options()
    options.layout_features = []  # a Han name needs no substitution; dlig must not apply
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)


def otf_to_ttf(font: TTFont, max_err: float = 1.0) -> TTFont:
    """Replace CFF outlines with quadratic glyf outlines (after fontTools Snippets/otf2ttf.py)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise; TrueType wants clockwise, hence reverse_direction.
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    return font
