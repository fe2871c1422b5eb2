"""Search quality, measured: recall@10 and nDCG@10 over the judged relevance set.

The thresholds are the figures the README reports; the test fails if search gets worse.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from casework.choices import CaseState, ComplaintType
from search.backends import get_search_backend
from search.documents import PrecedentDocument
from search.evaluation import ndcg_at, recall_at

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent / "relevance"
# Measured on 2026-11-25 (README): SQLite 0.820 / 0.841, PostgreSQL 0.817 / 0.840.
RECALL_AT_10 = 0.81
NDCG_AT_10 = 0.83

_OUTCOMES = {state.label: state.value for state in CaseState}
_COMPLAINTS = {kind.label: kind.value for kind in ComplaintType}


def _documents():
    for line in (HERE / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        yield PrecedentDocument(
            key=f"import:{row['external_id']}", label=row["external_id"],
            claim_date=date.fromisoformat(row["claim_date"]), procedure_field="other",
            procedure=row["procedure"],
            complaint_types=tuple(_COMPLAINTS[c] for c in row["complaint_types"].split(";") if c),
            outcome=_OUTCOMES[row["outcome"]], payout_yen=row["payout_yen"] or None,
            is_open=False, text=row["narrative"],
        )  # fmt: skip


def measure() -> tuple[float, float, list[tuple[str, float, float]]]:
    backend = get_search_backend()
    backend.index(list(_documents()))
    rows = []
    for query in json.loads((HERE / "queries.json").read_text(encoding="utf-8")):
        ranked = [hit.label for hit in backend.search(query["query"], per_page=10).hits]
        rows.append(
            (
                query["query"],
                recall_at(ranked, query["relevant"]),
                ndcg_at(ranked, query["relevant"]),
            )
        )
    recall = sum(r for _, r, _ in rows) / len(rows)
    ndcg = sum(n for _, _, n in rows) / len(rows)
    return recall, ndcg, rows


def test_search_quality_does_not_drop(capsys):
    recall, ndcg, rows = measure()
    with capsys.disabled():
        print(f"\nrelevance set: {len(rows)} queries  recall@10={recall:.3f}  nDCG@10={ndcg:.3f}")
    assert recall >= RECALL_AT_10
    assert ndcg >= NDCG_AT_10
