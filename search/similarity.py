"""Similar cases, the part every backend shares: which of a case's words make the query, and
how the candidates a backend found are ordered and explained to the reviewer.

A backend finds candidates its own way (full-text OR query, more_like_this); the final order and
the reason shown (「同じ施術（二重瞼）・同じ症状（左右差）／共通する語: …」) come from here, so
they read the same everywhere.

A reviewer compares a case with those of the same procedure and the same complication first,
then with those sharing one of the two; words every narrative has (経過観察, 説明) say nothing
about that. So candidates are ordered by what they share, in that order, and only then by how
many words they share and by the backend's score. The procedure is the case's procedure field,
read through the synonym groups (埋没法 and 二重まぶた are both 二重瞼); a complication is any
other synonym group both narratives mention (腫脹 and むくみ are both 腫れ).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .synonyms import SynonymSet, group_token

# This many of a case's words, synonym groups first, make the query.
QUERY_TERMS = 12
# The best this many candidates by the backend's own score are re-ranked by what they share.
CANDIDATES = 50
# Shared words named in the reason, besides the procedure and the complications.
REASON_WORDS = 5

_GROUP = re.compile(r"syn\d+")


def _is_group(term: str) -> bool:
    return bool(_GROUP.fullmatch(term))


def query_terms(terms: str) -> list[str]:
    """The words of an analysed document that best say what it is about: its synonym groups
    (procedures, symptoms) first, then its longer words."""
    own = list(dict.fromkeys(terms.split()))
    chosen = [t for t in own if _is_group(t)]
    chosen += sorted((t for t in own if not _is_group(t) and len(t) > 1), key=len, reverse=True)
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


class Taxonomy:
    """The synonym groups as similarity reads them: a group's name (its term), its chain (the
    group and its broader groups, 埋没法 → 二重瞼) and the names that stand for it. One per
    similar() call: it remembers the procedure fields it has read."""

    def __init__(self, synonyms: SynonymSet, names: dict[str, str]):
        self.synonyms = synonyms
        self.names = names  # group token: the group's term
        self._chains = {chain[0]: chain for _, chain in synonyms.variants}
        self._procedures: dict[str, frozenset[str]] = {}

    @classmethod
    def load(cls) -> "Taxonomy":
        from .models import SynonymGroup

        groups = list(SynonymGroup.objects.all())
        return cls(
            SynonymSet.from_groups(groups),
            {group_token(group.pk): group.term for group in groups},
        )

    def chain(self, token: str) -> tuple[str, ...]:
        return self._chains.get(token, (token,))

    def name(self, token: str) -> str:
        return self.names.get(token, token)

    def variants(self, tokens: set[str]) -> list[str]:
        """Every name of these groups and of their narrower groups (to mark in a snippet)."""
        return [variant for variant, chain in self.synonyms.variants if tokens & set(chain)]

    def procedure_groups(self, procedure: str) -> frozenset[str]:
        """The groups a procedure field names, with their broader groups (埋没法: 埋没法, 二重瞼)."""
        if procedure not in self._procedures:
            analysed = self.synonyms.analyse_document(procedure).split()
            self._procedures[procedure] = frozenset(t for t in analysed if _is_group(t))
        return self._procedures[procedure]

    def broadest_procedure_group(self, procedure: str) -> str | None:
        """The broadest group a procedure field names (埋没法: 二重瞼), which every case of that
        procedure or a narrower one has among its words; None for a procedure of no group."""
        groups = self.procedure_groups(procedure)
        return min(groups, key=lambda t: (len(self.chain(t)), t)) if groups else None

    def most_specific(self, tokens: set[str]) -> list[str]:
        """`tokens` without those that are only the broader group of another of them."""
        broader = {b for t in tokens for b in self.chain(t)[1:]}
        return [t for t in tokens if t not in broader]


@dataclass(frozen=True)
class _Shared:
    """What a candidate shares with the case: the procedure (its name, "" if not the same),
    complications (group tokens) and other words."""

    procedure: str
    procedure_groups: frozenset[str]
    complications: list[str]
    words: list[str]

    def order(self, score: float) -> tuple:
        both = bool(self.procedure and self.complications)
        either = bool(self.procedure or self.complications)
        # The procedure field is written with care; a complication may be named in passing
        # (「腫れや左右差はない」), so within "one of the two" the procedure goes first.
        return (both, either, bool(self.procedure), len(self.complications), len(self.words), score)


def rank(
    chosen: list[str],
    procedure: str,
    candidates: Iterable[Candidate],
    *,
    limit: int,
    taxonomy: Taxonomy | None = None,
) -> list[Ranked]:
    """Same procedure and same complication first, then the same procedure, then the same
    complication, then the most shared words, then the backend's score. `procedure`: the case's
    procedure field; `chosen`: its query_terms()."""
    taxonomy = taxonomy or Taxonomy.load()
    candidates = list(candidates)
    own_procedure = taxonomy.procedure_groups(procedure)
    # A group that is some case's procedure is a procedure, not a complication, wherever a
    # narrative names it (「以前にボトックスも受けた」).
    procedures = own_procedure.union(*(taxonomy.procedure_groups(c.procedure) for c in candidates))
    wanted = set(chosen)

    def shared(candidate: Candidate) -> _Shared:
        common = wanted & set(candidate.terms.split())
        groups = {t for t in common if _is_group(t)}
        same = own_procedure & taxonomy.procedure_groups(candidate.procedure)
        if same:
            name = taxonomy.name(max(same, key=lambda t: len(taxonomy.chain(t))))
        else:
            name = procedure if candidate.procedure == procedure else ""
        complications = taxonomy.most_specific(
            {t for t in groups if not procedures & set(taxonomy.chain(t))}
        )
        # Pieces of names already said (ボツリヌス of ボツリヌストキシン注射, 埋没 of 埋没法) are
        # no further word in common.
        named = [name, procedure, candidate.procedure, *map(taxonomy.name, groups)]
        words = [
            t for t in chosen if t in common and not _is_group(t) and not any(t in n for n in named)
        ]
        return _Shared(name, same, sorted(complications, key=chosen.index), words)

    found = [(candidate, shared(candidate)) for candidate in candidates]
    found.sort(key=lambda pair: pair[1].order(pair[0].score), reverse=True)
    ranked = []
    for candidate, common in found[:limit]:
        parts = []
        if common.procedure:
            parts.append(f"同じ施術（{common.procedure}）")
        if common.complications:
            parts.append(f"同じ症状（{'・'.join(map(taxonomy.name, common.complications))}）")
        reason = "・".join(parts)
        if common.words:
            words = "共通する語: " + "、".join(common.words[:REASON_WORDS])
            reason = f"{reason}／{words}" if reason else words
        groups = {*common.procedure_groups, *common.complications}
        marks = [common.procedure, *taxonomy.variants(groups), *common.words]
        ranked.append(Ranked(candidate=candidate, reason=reason, words=[w for w in marks if w]))
    return ranked
