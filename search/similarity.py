"""Similar cases, the part every backend shares: which of a case's words make the query, and
how the candidates a backend found are ordered and explained to the reviewer.

A backend finds candidates its own way (full-text OR query, more_like_this); the final order and
the reason shown ("同じ施術／共通する語: …") come from here, so they read the same everywhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .synonyms import SynonymSet

# This many of a case's words, synonym groups first, make the query.
QUERY_TERMS = 12
# The best this many candidates by the backend's own score are re-ranked by what they share.
CANDIDATES = 50


def query_terms(terms: str) -> list[str]:
    """The words of an analysed document that best say what it is about: its synonym groups
    (procedures, symptoms) first, then its longer words."""
    own = list(dict.fromkeys(terms.split()))
    chosen = [t for t in own if t.startswith("syn")]
    chosen += sorted(
        (t for t in own if not t.startswith("syn") and len(t) > 1), key=len, reverse=True
    )
    return chosen[:QUERY_TERMS]


@dataclass(frozen=True)
class Candidate:
    key: str
    procedure: str
    terms: str  # the candidate's analysed terms
    score: float  # the backend's own score


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    reason: str
    words: list[str]  # readable shared words, to mark in the snippet


def rank(
    chosen: list[str],
    procedure: str,
    candidates: Iterable[Candidate],
    *,
    limit: int,
    synonyms: SynonymSet | None = None,
) -> list[Ranked]:
    """Shared synonym groups (procedure, symptom) first, then the same procedure, then how many
    words are shared, then the backend's score."""
    synonyms = synonyms or SynonymSet.load()
    names = {chain[0]: variant for variant, chain in reversed(synonyms.variants)}
    wanted = set(chosen)

    def closeness(candidate: Candidate):
        shared = wanted & set(candidate.terms.split())
        groups = sum(1 for t in shared if t.startswith("syn"))
        return (groups, candidate.procedure == procedure, len(shared), candidate.score)

    ranked = []
    for candidate in sorted(candidates, key=closeness, reverse=True)[:limit]:
        own = set(candidate.terms.split())
        readable = [names.get(t, t) for t in chosen if t in own]
        reason = "共通する語: " + "、".join(readable[:5])
        if candidate.procedure == procedure:
            reason = "同じ施術／" + reason
        ranked.append(Ranked(candidate=candidate, reason=reason, words=readable))
    return ranked
