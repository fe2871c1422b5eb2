"""The full-text SQL of the database backend, one dialect per database.

SQLite: an FTS5 table keyed by the entry id, ranked by bm25. PostgreSQL: a stored
to_tsvector('simple', terms) column with a GIN index, ranked by ts_rank_cd. Both index the
analyser's space-separated tokens, so Japanese words and synonym groups match whole.
"""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Match:
    """Which cases match (`required`: all of them, or any of them when `any_of`), and the
    words that score a match (a case with more of the query's words ranks higher)."""

    required: tuple[str, ...]
    any_of: bool
    scoring: tuple[str, ...]


def _fts5(terms, operator: str) -> str:
    return operator.join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms, operator: str) -> str:
    return operator.join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


class Dialect:
    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"
        # The matched entry's id, read where it is cheapest (SQLite: from the FTS row).
        self.row_id = "f.rowid" if self.sqlite else "e.id"

    def match(self, match: Match) -> tuple[str, str | None, str, list]:
        """(join clause, WHERE condition or None, score expression where higher is better,
        params of the join)."""
        if self.sqlite:
            expression = _fts5(match.required, " OR " if match.any_of else " ")
            if set(match.scoring) - set(match.required) or match.any_of:
                # The extra words only score: the required part already decides the match.
                expression = f"({expression}) AND ({_fts5(match.scoring, ' OR ')})"
            return (
                "JOIN search_precedent_fts f ON f.rowid = e.id AND search_precedent_fts MATCH %s",
                None,
                "-bm25(search_precedent_fts)",
                [expression],
            )
        return (
            "CROSS JOIN to_tsquery('simple', %s) q CROSS JOIN to_tsquery('simple', %s) r",
            "e.tsv @@ q",
            "ts_rank_cd(e.tsv, r)",
            [
                _tsquery(match.required, " | " if match.any_of else " & "),
                _tsquery(match.scoring, " | "),
            ],
        )

    def write(self, entries) -> None:
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT OR REPLACE INTO search_precedent_fts(rowid, terms) VALUES (%s, %s)",
                    [(entry.pk, entry.terms) for entry in entries],
                )

    def remove(self, ids: list[int]) -> None:
        if self.sqlite and ids:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "DELETE FROM search_precedent_fts WHERE rowid = %s", [(i,) for i in ids]
                )

    def clear(self) -> None:
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_precedent_fts")


def count_terms(changes: dict[str, int]) -> None:
    """Add `changes` (term: +n / -n cases) to the term statistics, in one statement per term;
    in term order, so that two concurrent writers lock rows in the same order."""
    if not changes:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_termstat(term, documents) VALUES (%s, %s) "
            "ON CONFLICT(term) DO UPDATE SET documents = search_termstat.documents + "
            "excluded.documents",
            sorted((term, n) for term, n in changes.items() if n and len(term) <= 255),
        )
        gone = sorted(term for term, n in changes.items() if n < 0)
        if gone:
            marks = ", ".join(["%s"] * len(gone))
            cursor.execute(
                f"DELETE FROM search_termstat WHERE documents <= 0 AND term IN ({marks})", gone
            )
