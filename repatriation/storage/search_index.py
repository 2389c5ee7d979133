"""Full-text name search: an SQLite FTS5 index over ``cases.search_text``, kept in sync by triggers.

Why: a ``LIKE '%...%'`` scan over 100,000 folded names costs ~170 ms; the FTS5 index answers the same
token-prefix query in a few milliseconds. PostgreSQL keeps the plain LIKE (its case lists are
shared by a province, not a laptop, and need no extension this way).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, column, literal_column, select, table

FTS_TABLE = "case_search"

CREATE_STATEMENTS: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='cases', content_rowid='id', "
    "tokenize='unicode61', prefix='1 2 3')",
    f"CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER cases_search_au AFTER UPDATE OF search_text ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
DROP_STATEMENTS: tuple[str, ...] = (
    "DROP TRIGGER IF EXISTS cases_search_au",
    "DROP TRIGGER IF EXISTS cases_search_ad",
    "DROP TRIGGER IF EXISTS cases_search_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def is_search_index_table(name: str) -> bool:
    """True for the FTS table and its shadow tables (not part of the declarative metadata)."""
    return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")


def match_expression(folded: str) -> str:
    """An FTS5 query: every token must appear; the last one may be a prefix (search as you type)."""
    tokens = folded.split()
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def fts_rowids(folded: str) -> Select[Any]:
    """``SELECT rowid FROM case_search WHERE case_search MATCH ...``: read from the index alone."""
    fts = table(FTS_TABLE, column("rowid"))
    return select(fts.c.rowid).where(literal_column(FTS_TABLE).match(match_expression(folded)))
