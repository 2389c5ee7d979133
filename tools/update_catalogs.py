"""Extract the "messages" domain, update the five catalogs and report what is left to translate.

Usage::

    python tools/update_catalogs.py            # extract -> i18n/messages.pot -> update all .po
    python tools/update_catalogs.py --list     # also print every untranslated/fuzzy msgid
    python tools/update_catalogs.py --check    # change nothing; exit 1 if anything is stale/missing

The English catalog is an identity catalog (msgstr = msgid): new English entries are filled in
automatically, so "untranslated" always means a real translation is missing in vi/zh_CN/km/lo.
Fuzzy matching is off on purpose: a near-miss legal term guessed by difflib is worse than an
honest empty entry that the report lists.
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
LOCALE_DIR = I18N / "locale"
POT_PATH = I18N / "messages.pot"
MAPPING_PATH = I18N / "babel.cfg"
DOMAIN = "messages"
LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")
# Directories (and files) whose user-facing text belongs to the "messages" domain.
SOURCES = ("ui", "cli", "repatriation", "main.py", "i18n/bundle_errors.py", "i18n/vault_errors.py",
           "i18n/error_messages.py")
# Every way the code reaches gettext: `_`/`N_`/`tr` aliases and (attribute) calls of
# gettext/ngettext such as `ctx.tr.ngettext(...)`; Babel matches the last dotted name.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gt": None,  # the `gt` method of Qt classes (shiboken 6.11 cannot look up an attribute named `_`)
    "N_": None,
    "tr": None,
    "gettext": None,
    "ngettext": (1, 2),
}
COMMENT_TAGS = ("TRANSLATORS:",)
PROJECT = "Repatriation Desk"
VERSION = "0.1"
TRANSLATOR = "Repatriation Desk i18n helper (draft: needs review by a professional legal translator)"
# Babel's CLDR name for the zh_CN directory (plural rules, header); the directory stays zh_CN.
BABEL_LOCALE = {"zh_CN": "zh_Hans_CN"}


def _source_files() -> Iterator[Path]:
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)


@cache
def _method_map() -> tuple[tuple[str, str], ...]:
    with MAPPING_PATH.open(encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle, str(MAPPING_PATH))  # type: ignore[no-untyped-call]
    return tuple(method_map)


def _method_for(relative: str) -> str | None:
    for pattern, method in _method_map():
        if pathmatch(pattern, relative):
            return method
    return None


def extract() -> Catalog:
    """Extract every msgid of the "messages" domain into a template catalog."""
    template = Catalog(project=PROJECT, version=VERSION, copyright_holder=PROJECT,
                       charset="utf-8", fuzzy=False)
    for path in _source_files():
        relative = path.relative_to(ROOT).as_posix()
        method = _method_for(relative)
        if method is None:
            continue
        found = extract_from_file(method, str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                                  strip_comment_tags=True)
        for lineno, message, comments, context in found:
            template.add(message, None, [(relative, lineno)], auto_comments=comments,
                         context=context)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for lineno, message in [*_calls_inside_fstrings(tree), *_starred_plurals(tree)]:
            if message not in template:
                template.add(message, None, [(relative, lineno)])
    return template


def _starred_plurals(tree: ast.AST) -> Iterator[tuple[int, tuple[str, str]]]:
    """Plural pairs passed as ``ngettext(*pair, n)`` where ``pair`` is bound in the same function.

    ``pair = ("{count} case", "{count} cases") if exact else (...)``: Babel sees no literal in
    the call, so the pairs are read from the assignments to that name.
    """
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        starred = {
            node.args[0].value.id
            for node in ast.walk(function)
            if isinstance(node, ast.Call) and _call_name(node) == "ngettext" and node.args
            and isinstance(node.args[0], ast.Starred) and isinstance(node.args[0].value, ast.Name)
        }
        for node in ast.walk(function):
            if not isinstance(node, ast.Assign):
                continue
            if not any(isinstance(t, ast.Name) and t.id in starred for t in node.targets):
                continue
            for pair in ast.walk(node.value):
                if not isinstance(pair, ast.Tuple):
                    continue
                texts = _literals(pair.elts)
                if len(texts) == 2:
                    yield pair.lineno, (texts[0], texts[1])


def _literals(nodes: list[ast.expr]) -> list[str]:
    """The values of ``nodes`` when every one is a string literal, else an empty list."""
    texts = [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return texts if len(texts) == len(nodes) else []


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _calls_inside_fstrings(tree: ast.AST) -> Iterator[tuple[int, str | tuple[str, str]]]:
    """Translating calls nested in f-strings (``f"<p>{tr.gettext('Hi')}</p>"``).

    On Python 3.11 an f-string is one STRING token, so Babel's tokenizer never sees the call;
    the AST does.
    """
    for fstring in ast.walk(tree):
        if not isinstance(fstring, ast.JoinedStr):
            continue
        for node in ast.walk(fstring):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name not in KEYWORDS:
                continue
            spec = KEYWORDS[name]
            count = len(spec) if spec else 1
            if len(node.args) < count:
                continue
            values = _literals(node.args[:count])
            if values:
                yield node.lineno, values[0] if count == 1 else (values[0], values[1])


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALE.get(language, language), domain=DOMAIN)


def _serialise(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers in references: they would churn the catalogs on every unrelated edit.
    write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    return buffer.getvalue()


def _is_missing(message: Message) -> bool:
    if message.fuzzy:
        return True
    if isinstance(message.string, (list, tuple)):
        return not all(message.string)
    return not message.string


def missing(catalog: Catalog) -> list[Message]:
    """Untranslated or fuzzy entries of ``catalog`` (the header excluded)."""
    return [m for m in catalog if m.id and _is_missing(m)]


def _fill_identity(catalog: Catalog) -> None:
    # English source strings are the English UI text.
    for message in catalog:
        if not message.id or not _is_missing(message):
            continue
        if isinstance(message.id, (list, tuple)):
            message.string = (message.id[0], message.id[1])
        else:
            message.string = message.id
        message.flags.discard("fuzzy")


def updated_catalog(language: str, template: Catalog) -> Catalog:
    """The catalog of ``language`` merged with ``template`` (nothing written)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        catalog = _read(path, language)
    else:
        catalog = Catalog(locale=BABEL_LOCALE.get(language, language), domain=DOMAIN,
                          project=PROJECT, version=VERSION, copyright_holder=PROJECT,
                          last_translator=TRANSLATOR, charset="utf-8", fuzzy=False)
    # Catalog.update shares Message objects with the template: give each language its own copy.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_creation_date=False)
    # Keep the translator-facing header stable: only the msgids should produce diffs.
    catalog.revision_date = catalog.creation_date
    catalog.fuzzy = False
    if language == "en":
        _fill_identity(catalog)
    return catalog


def _stable_pot(template: Catalog) -> bytes:
    """The template text without the volatile creation date (so unchanged code -> no diff)."""
    lines = _serialise(template).decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith('"POT-Creation-Date:')).encode()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def run(*, check: bool, list_missing: bool) -> int:
    """Extract, update and report; with ``check`` write nothing and return 1 on any gap."""
    template = extract()
    problems = 0
    pot = _stable_pot(template)
    if not POT_PATH.exists() or POT_PATH.read_bytes() != pot:
        if check:
            print(f"{POT_PATH.relative_to(ROOT)} is out of date")
            problems += 1
        else:
            _write_if_changed(POT_PATH, pot)
    print(f"{len([m for m in template if m.id])} msgids extracted")
    for language in LANGUAGES:
        catalog = updated_catalog(language, template)
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        data = _serialise(catalog)
        if check:
            if not path.exists() or path.read_bytes() != data:
                print(f"{path.relative_to(ROOT)} does not match the template")
                problems += 1
        else:
            _write_if_changed(path, data)
        gaps = missing(catalog)
        problems += len(gaps)
        print(f"{language:6} {len(gaps):4} untranslated or fuzzy")
        if list_missing:
            for message in gaps:
                print(f"    {message.id!r}")
    return 1 if problems and check else 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; fail on any gap")
    parser.add_argument("--list", action="store_true", help="list untranslated/fuzzy msgids")
    args = parser.parse_args(argv)
    return run(check=args.check, list_missing=args.list)


if __name__ == "__main__":
    sys.exit(main())
