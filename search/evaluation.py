"""Relevance measures for the precedent search over judged sets: recall@k, precision@k and
nDCG@k, with graded judgments ({key: grade}; unlisted keys are grade 0)."""

import math
from collections.abc import Mapping, Sequence


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Share of the relevant documents found in the first k results."""
    if not relevant:
        return 1.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def precision_at(
    ranked: Sequence[str], relevant: Mapping[str, int], k: int = 5, *, min_grade: int = 1
) -> float:
    """Share of the first k results graded at least `min_grade`, out of as many as there can
    be (k, or fewer when fewer are judged so): a perfect ranking scores 1.0 even for a case
    with only two like it."""
    wanted = {key for key, grade in relevant.items() if grade >= min_grade}
    if not wanted:
        return 1.0
    return len(set(ranked[:k]) & wanted) / min(k, len(wanted))


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain with graded relevance (gain 2^grade - 1)."""

    def dcg(grades) -> float:
        return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))

    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg(relevant.get(key, 0) for key in ranked[:k]) / ideal if ideal else 1.0
