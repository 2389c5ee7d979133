"""Every msgid the code passes to gettext is in i18n/messages.pot and in all five catalogs.

The scan is independent of Babel: it walks the AST, so a new alias (``say = tr.gettext``) or
call style that the extraction keywords miss shows up here as a missing msgid.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.i18n.catalog_kit import LANGUAGES, ROOT, entries, forms, load

SOURCES = ("ui", "cli", "repatriation", "main.py", "i18n/bundle_errors.py")
TRANSLATING = {"_", "N_", "gettext", "tr"}
PLURAL = {"ngettext"}


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_catalogs", ROOT / "tools" / "update_catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files() -> list[Path]:
    found: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [p for p in found if "migrations" not in p.parts]


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _aliases(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to a gettext/ngettext (``_ = ctx.translator.gettext``, ``self.say = ...``)."""
    singular, plural = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute):
            target_names = {_name(t) for t in node.targets} - {None}
            if node.value.attr == "gettext":
                singular |= target_names  # type: ignore[arg-type]
            elif node.value.attr == "ngettext":
                plural |= target_names  # type: ignore[arg-type]
    return singular, plural


def used_msgids() -> dict[str, str]:
    """msgid -> first place it is used, from every translating call with literal arguments."""
    used: dict[str, str] = {}
    fstrings: list[str] = []
    hidden: list[str] = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        singular, plural = _aliases(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _name(node.func)
            if name in PLURAL or name in plural:
                count = 2
            elif name in TRANSLATING or name in singular:
                count = 1
            else:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(node.args[0], ast.Starred):
                # ngettext(*pair, n): the pair must be literal tuples bound in this module.
                name_node = node.args[0].value
                pairs = _literal_pairs(tree, name_node.id) if isinstance(name_node, ast.Name) else []
                if not pairs:
                    hidden.append(where)
                for pair in pairs:
                    for text in pair:
                        used.setdefault(text, where)
                continue
            for arg in node.args[:count]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    used.setdefault(arg.value, where)
                elif isinstance(arg, ast.JoinedStr):
                    fstrings.append(where)
    assert not fstrings, f"f-strings inside gettext calls (use named placeholders): {fstrings}"
    assert not hidden, f"msgids hidden from extraction (pass literals or N_-marked names): {hidden}"
    return used


def _literal_pairs(tree: ast.AST, name: str) -> list[tuple[str, str]]:
    pairs = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            for item in ast.walk(node.value):
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    texts = [e.value for e in item.elts
                             if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                    if len(texts) == 2:
                        pairs.append((texts[0], texts[1]))
    return pairs


def pot_ids() -> set[str]:
    from babel.messages.pofile import read_po

    with (ROOT / "i18n" / "messages.pot").open("rb") as handle:
        return {text for m in read_po(handle) if m.id for text in forms(m.id)}


def test_every_msgid_used_in_code_is_in_the_template() -> None:
    used = used_msgids()
    assert len(used) > 100  # the scan really found the UI's strings
    template = pot_ids()
    missing = {msgid: where for msgid, where in used.items() if msgid and msgid not in template}
    assert not missing, f"run tools/update_catalogs.py; missing from messages.pot: {missing}"


def test_template_is_up_to_date_with_the_code() -> None:
    extracted = {text for m in _tool().extract() if m.id for text in forms(m.id)}
    assert extracted == pot_ids(), "run tools/update_catalogs.py"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_template(language: str) -> None:
    ids = {text for m in entries(load(language, "messages")) for text in forms(m.id)}
    template = pot_ids()
    assert ids == template, sorted(ids ^ template)[:10]


def test_source_strings_are_ascii_with_named_placeholders() -> None:
    bad = [s for s in pot_ids() if not s.isascii() or re.search(r"\{\}|\{\d+\}|%[sdr]", s)]
    assert not bad, bad
