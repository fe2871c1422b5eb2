"""The full-text SQL of the database backend, one dialect per database.

SQLite: an FTS5 table keyed by the entry id, ranked by bm25. PostgreSQL: a stored
to_tsvector('simple', ...) column with a GIN index, ranked by ts_rank_cd. Both index the
analyser's space-separated tokens and each entry's filter tokens (documents.filter_token), so
Japanese words, synonym groups and filters all match whole, inside the full-text index.
"""

from dataclasses import dataclass

from django.db import connection

from ..documents import CLOSED_TOKEN

# Facet name: the entry's column (complaint types are read from complaint_codes).
FACET_COLUMNS = {
    "procedure_field": "procedure_field",
    "procedure": "procedure",
    "outcome": "outcome",
    "payout_band": "payout_band",
    "year": "claim_year",
}


@dataclass(frozen=True)
class Match:
    """Which cases match: `required` words (all of them, or any of them when `any_of`), every
    one of the `filters` tokens (documents.filter_token), none of the `excluded` tokens (owners
    left out), closed cases only unless `include_open`, and never the entry `leave_out` (the
    source of similar cases). `scoring`: the words that score a match (a case with more of the
    query's words ranks higher)."""

    required: tuple[str, ...]
    any_of: bool
    scoring: tuple[str, ...]
    # BM25 of the scoring words (PostgreSQL; SQLite's bm25() has its own): their rarity, and
    # the average number of terms per case.
    weights: tuple[float, ...]
    average_length: float
    filters: tuple[str, ...] = ()
    include_open: bool = False
    excluded: tuple[str, ...] = ()
    leave_out: int | None = None

    @property
    def uniform(self) -> bool:
        """Every match has every scoring word: only the case's length tells them apart."""
        return not self.any_of and set(self.scoring) <= set(self.required)

    @property
    def conditions(self) -> tuple[str, ...]:
        """The tokens every match must have besides the words."""
        return self.filters if self.include_open else (*self.filters, CLOSED_TOKEN)


def _fts5(terms, operator: str) -> str:
    return operator.join('"' + t.replace('"', '""') + '"' for t in terms)


def _tsquery(terms, operator: str) -> str:
    return operator.join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


@dataclass(frozen=True)
class Query:
    """SQL pieces for the entries a Match finds: `ids` selects from the full-text index alone
    (cheapest: counting, probing, ranking); `rows` can also read the entry's columns."""

    ids: str  # FROM … WHERE …, with `id` and `score` expressions below
    rows: str  # FROM … WHERE …, with the entry as `e`
    params: list
    id: str
    score: str
    relevance: str  # ORDER BY for "best first"


class Dialect:
    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"

    def query(self, match: Match) -> Query:
        if self.sqlite:
            expression = _fts5(match.required, " OR " if match.any_of else " ")
            if set(match.scoring) - set(match.required) or match.any_of:
                # The extra words only score: the required part already decides the match.
                expression = f"({expression}) AND ({_fts5(match.scoring, ' OR ')})"
            if match.conditions:
                expression = f"({expression}) AND {_fts5(match.conditions, ' AND ')}"
            if match.excluded:
                expression = f"({expression}) NOT ({_fts5(match.excluded, ' OR ')})"
            where, params = "WHERE search_precedent_fts MATCH %s", [expression]
            if match.leave_out is not None:
                where, params = f"{where} AND f.rowid <> %s", [*params, match.leave_out]
            return Query(
                ids=f"FROM search_precedent_fts f {where}",
                rows=f"FROM search_precedententry e JOIN search_precedent_fts f ON f.rowid = e.id "
                f"{where}",
                params=params,
                id="f.rowid",
                score="-bm25(search_precedent_fts)",
                relevance="score DESC",
            )
        required = _tsquery(match.required, " | " if match.any_of else " & ")
        parts = [
            f"({required})",
            *(_tsquery([t], "") for t in match.conditions),
            *("!" + _tsquery([t], "") for t in match.excluded),
        ]
        # ts_rank knows nothing of how rare a word is: score as SQLite's bm25() does (k1 1.2,
        # b 0.75) with each word once per case, as the analyser keeps one of each. Every match
        # has the required words, so only the other words are looked up in each case's tsv.
        weights = dict(zip(match.scoring, match.weights, strict=True))
        certain = set() if match.any_of else set(match.required)
        optional = [t for t in match.scoring if t not in certain]
        words = " ".join(f"CROSS JOIN to_tsquery('simple', %s) r{i}" for i in range(len(optional)))
        body = (
            f"FROM search_precedententry e CROSS JOIN to_tsquery('simple', %s) q {words} "
            "WHERE e.tsv @@ q" + (" AND e.id <> %s" if match.leave_out is not None else "")
        )
        rarity = " + ".join(
            [f"{sum(weights[t] for t in certain):.6f}::float8"]
            + [f"(e.tsv @@ r{i})::int * {weights[t]:.6f}" for i, t in enumerate(optional)]
        )
        length = f"e.term_count::float8 / {max(match.average_length, 1.0):.6f}"
        return Query(
            ids=body,
            rows=body,
            params=[
                " & ".join(parts),
                *(_tsquery([t], "") for t in optional),
                *([] if match.leave_out is None else [match.leave_out]),
            ],
            id="e.id",
            score=f"(({rarity}) * 2.2 / (1.2 * (0.25 + 0.75 * {length}) + 1))",
            # One word and no filter: the matches are as many as the word count says, often
            # thousands, and only the length tells them apart; reading the shortest first from
            # an index on the length stops after a page instead of scoring them all.
            relevance="e.term_count ASC"
            if match.uniform and len(match.required) == 1 and not match.filters
            else "score DESC",
        )

    def count_and_sample(self, cursor, query: Query, step: int) -> tuple[int, list[tuple]]:
        """(number of matches, the facet columns of every `step`-th match by id)."""
        columns = ", ".join([*(f"e.{c}" for c in FACET_COLUMNS.values()), "e.complaint_codes"])
        sample = f" AND {query.id} %% {step} = 0" if step > 1 else ""
        if self.sqlite:
            # The count comes from the full-text index alone; rows only for the sample.
            cursor.execute(f"SELECT COUNT(*) {query.ids}", query.params)
            total = cursor.fetchone()[0]
            cursor.execute(f"SELECT {columns} {query.rows}{sample}", query.params)
            return total, cursor.fetchall()
        # One pass over the matches for both: on PostgreSQL each pass reads the rows.
        keep = f" FILTER (WHERE {query.id} %% {step} = 0)" if step > 1 else ""
        cursor.execute(
            f"SELECT COUNT(*), json_agg(json_build_array({columns})){keep} {query.rows}",
            query.params,
        )
        total, rows = cursor.fetchone()
        return total, [tuple(row) for row in rows or []]

    def write(self, entries) -> None:
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT OR REPLACE INTO search_precedent_fts(rowid, terms) VALUES (%s, %s)",
                    [(entry.pk, f"{entry.terms} {entry.filter_terms}") for entry in entries],
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
