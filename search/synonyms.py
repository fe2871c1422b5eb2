"""Synonym expansion on top of the Japanese analyser.

A procedure has many names (ボトックス, ボツリヌストキシン注射, ボツリヌス注射); the analyser alone
cannot know they are one thing. Each synonym group gets a token of its own (``syn12``): a
document carries the tokens of every group it mentions and of their broader groups, and a query
names the group instead of its words. So a query by any name finds the others, and a query for
二重瞼 also finds 埋没法 (narrower), but not the other way round.
"""

import unicodedata
from dataclasses import dataclass

from .analysis import tokens


def _normalise(text: str) -> str:
    # Full-width letters and digits, half-width katakana: one form before matching.
    return unicodedata.normalize("NFKC", text or "").lower()


def group_token(group_id: int) -> str:
    return f"syn{group_id}"


@dataclass(frozen=True)
class SynonymSet:
    """Compiled synonym groups: (variant text, tokens it stands for), longest variant first."""

    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_groups(cls, groups) -> "SynonymSet":
        by_id = {group.pk: group for group in groups}

        def chain(group) -> tuple[str, ...]:
            seen, result = set(), []
            while group is not None and group.pk not in seen:
                seen.add(group.pk)
                result.append(group_token(group.pk))
                group = by_id.get(group.broader_id)
            return tuple(result)

        variants = {
            _normalise(variant): chain(group)
            for group in groups
            for variant in group.variants()
            if variant.strip()
        }
        ordered = sorted(variants.items(), key=lambda item: len(item[0]), reverse=True)
        return cls(variants=tuple(ordered))

    @classmethod
    def load(cls) -> "SynonymSet":
        from .models import SynonymGroup

        return cls.from_groups(list(SynonymGroup.objects.all()))

    def _find(self, text: str) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
        """The text with every known variant blanked out, and each variant found with its
        group chain. Longest variants first, so ボツリヌストキシン注射 wins over ボツリヌス."""
        found = []
        for variant, chain in self.variants:
            if variant in text:
                text = text.replace(variant, " ")
                found.append((variant, chain))
        return text, found

    def analyse_document(self, text: str) -> str:
        """Analysed words of the document plus the tokens of the synonym groups it mentions,
        and of their broader groups."""
        normalised = _normalise(text)
        _, found = self._find(normalised)
        group_tokens = [token for _, chain in found for token in chain]
        return " ".join(dict.fromkeys([*tokens(normalised), *group_tokens]))

    def analyse_query(self, query: str) -> str:
        """The query's words, with each known name replaced by its own group's token."""
        return " ".join(self.query_words(query))

    def query_words(self, query: str) -> dict[str, str]:
        """{term: the words of the query it stands for}: each analysed word for itself, each
        known name as its group's token, so a message can name the words as typed."""
        remainder, found = self._find(_normalise(query))
        words = {token: token for token in tokens(remainder)}
        for variant, chain in found:
            words.setdefault(chain[0], variant)
        return words

    def highlight_words(self, query: str) -> list[str]:
        """Words to mark in a snippet: the query's words as typed and every name of its groups.

        The analyser's tokens count only where the query writes them as they are and they are
        longer than one character (ヒアルロン of ヒアルロン酸): its normalised forms (2 for the 二
        of 二重まぶた, 痼 for しこり) and the single characters it splits off (重, 酸) would mark
        text the query never asked for."""
        normalised = _normalise(query)
        _, found = self._find(normalised)
        own = {chain[0] for _, chain in found}
        names = [variant for variant, chain in self.variants if chain[0] in own]
        typed = [t for t in tokens(normalised) if len(t) > 1 and t in normalised]
        return [*normalised.split(), *typed, *names]
