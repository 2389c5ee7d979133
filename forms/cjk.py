"""Han characters beyond the vendored GB2312 face, cut from the full Noto Sans CJK SC at print time.

The vendored ``NotoSansSC-GB2312.ttf`` (4 MB) covers the labels and most names. A name such as
王喆, 李玥 or 劉小明 needs the rest of the Han repertoire: every CJK Unified Ideograph with
Extension A and B, the compatibility ideographs and the traditional forms, 30,289 characters in
Noto Sans CJK SC. Converted whole to TrueType that face is 16 MB, more than the installer's size
budget allows, so it is read from the system (Debian's ``fonts-noto-cjk``; the .deb depends on
it) and cut into blocks of 256 code points when a document first needs one: one block is
subset, converted from CFF to TrueType outlines (ReportLab embeds only those) and registered
under a name of its own, about a second the first time, then kept in the user's cache folder.
ReportLab subsets the block again when it embeds it, so a PDF carries only the glyphs it prints.
"""

from __future__ import annotations

import io
import os
import threading
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
BUILD = 1  # bump when the way a block is cut changes (cached blocks are then rebuilt)

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


def block_of(char: str) -> int:
    """The 256-code-point block a character falls in."""
    return ord(char) >> 8


def face_name(block: int) -> str:
    """The ReportLab font name of one block."""
    return f"{PREFIX}{block:03X}"


def cache_dir() -> Path:
    """Where built blocks are kept between runs."""
    override = os.environ.get(ENV_CACHE)
    return Path(override) if override else Path(user_cache_dir("RepatriationDesk")) / "fonts"


def block_file(block: int) -> Path:
    """The TrueType file of one block, built on first use (thread-safe, atomic)."""
    found = source()
    if found is None:
        raise FileNotFoundError("no Noto Sans CJK face installed")
    path, index = found
    stat = path.stat()
    target = cache_dir() / f"{face_name(block)}-{stat.st_size}-{int(stat.st_mtime)}-{BUILD}.ttf"
    with _lock:
        if not target.exists():
            data = _build(path, index, block)
            target.parent.mkdir(parents=True, exist_ok=True)
            scratch = target.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_bytes(data)
            os.replace(scratch, target)
    return target


def _build(path: Path, index: int, block: int) -> bytes:
    """Subset one block of the CFF face and convert it to TrueType outlines."""
    font = TTFont(str(path), fontNumber=index)
    wanted = [code for code in range(block << 8, (block + 1) << 8) if code in _cmap()]
    options = subset.Options()
    options.layout_features = []  # a Han name needs no substitution; dlig must not apply
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    otf_to_ttf(font)
    # A PostScript name of its own: ReportLab treats two fonts with one face name as the same
    # font. The OFL face declares no Reserved Font Name, so renaming is allowed.
    postscript = f"NotoSansCJKsc-Regular-X{block:03X}"
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = postscript
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


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
