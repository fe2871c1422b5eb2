"""The behaviour every precedent-search backend owes the precedent page, once for all of them.

BackendContract's tests run for each backend from its own module (test_backend_database.py,
test_backend_elasticsearch.py), which supplies two fixtures: `empty_backend`, a backend over an
empty index of its own, and `unreachable`, one whose server cannot be reached (or a skip, for a
backend without a server). What only one backend has (the database's word counts, Elasticsearch's
alias and mapping) is tested in that backend's module.
"""

from datetime import date

import pytest

from search.backends import base
from search.backends.base import SearchUnavailable
from search.documents import PrecedentDocument


def _doc(
    key,
    procedure,
    text,
    *,
    field="cosmetic_dermatology",
    outcome="closed",
    complaints=("complication",),
    payout=None,
    year=2024,
    is_open=False,
):
    return PrecedentDocument(
        key=f"import:{key}", label=key, claim_date=date(year, 4, 1), procedure_field=field,
        procedure=procedure, complaint_types=tuple(complaints), outcome=outcome,
        payout_yen=payout, is_open=is_open, text=text,
    )  # fmt: skip


CORPUS = [
    _doc("P1", "ボツリヌストキシン注射", "眉間への注射後に眼瞼下垂が生じ、返金を求められた。",
         outcome="liable", payout=800_000, complaints=("complication", "refund")),
    _doc("P2", "ヒアルロン酸注射", "鼻への注入後に血流障害が起き、皮膚が黒く変色した。",
         outcome="liable", payout=6_000_000, year=2023),
    _doc("P3", "二重瞼", "埋没法の後、腫脹が3週間続き左右差があると訴えている。",
         field="cosmetic_surgery", outcome="not_liable", complaints=("result",)),
    _doc("P4", "レーザー脱毛", "照射部位に熱傷と色素沈着が残った。", outcome="resolved",
         year=2022),
    _doc("P5", "ヒアルロン酸注射", "注入部位のしこりが消えないと毎日電話がある。",
         complaints=("complication", "repeated_contact"), outcome="referred"),
    _doc("P6", "脂肪吸引", "術後の凹凸について、ネットに書き込むと言われた。",
         field="cosmetic_surgery", complaints=("online_post",), outcome="withdrawn"),
    _doc("OPEN", "ヒアルロン酸注射", "注入後に腫れが続いている（対応中）。", outcome="triage",
         is_open=True),
]  # fmt: skip


def labels(results) -> list[str]:
    return [hit.label for hit in getattr(results, "hits", results)]


class BackendContract:
    @pytest.fixture
    def backend(self, empty_backend):
        empty_backend.index(CORPUS)
        return empty_backend

    # Words: synonyms, broader terms, every word first, relaxation

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("ボトックス", ["P1"]),
            ("フィラー しこり", ["P5"]),
            ("二重まぶた 腫れ", ["P3"]),
            ("やけど", ["P4"]),
            ("血流障害", ["P2"]),
            ("ヒアルロン酸", ["P2", "P5"]),
        ],
    )
    def test_any_name_finds_the_case(self, backend, query, expected):
        results = backend.search(query)
        assert results.matched_all
        assert sorted(labels(results)[: len(expected)]) == expected

    def test_a_broader_term_finds_the_narrower_one_but_not_the_other_way(self, backend):
        backend.index([_doc("P7", "その他", "埋没法の糸が露出した。", field="other")])
        assert sorted(labels(backend.search("二重瞼"))) == ["P3", "P7"]
        backend.index([_doc("P8", "その他", "二重まぶたの幅が狭いと訴えている。", field="other")])
        assert "P8" not in labels(backend.search("埋没法"))

    def test_cases_with_every_word_come_first_then_those_with_some(self, backend):
        results = backend.search("ヒアルロン酸 しこり")
        assert labels(results)[0] == "P5"  # the only one with both
        assert "P2" in labels(results) and results.matched_all and results.any_word

    def test_in_a_large_index_the_commonest_word_is_dropped_first(self, backend, monkeypatch):
        # As if the index were large enough for ヒアルロン酸 (three of seven cases) to be common.
        monkeypatch.setattr(base, "COMMON_MIN_CASES", 0)
        results = backend.search("ヒアルロン酸 しこり")
        assert labels(results) == ["P5"] and results.matched_all
        assert results.optional_words == ("ヒアルロン酸",) and not results.any_word

    def test_too_few_cases_with_every_word_drop_the_commonest_word_first(self, backend):
        backend.index(
            [_doc(f"C{i}", "脂肪吸引", "術後に凹凸が残った。") for i in range(20)]
            + [_doc(f"I{i}", "その他", "術後に感染が起きた。", field="other") for i in range(12)]
            + [_doc("BOTH", "脂肪吸引", "術後に凹凸と感染が残った。")]
        )  # fmt: skip
        # One case has both words: without the commoner 凹凸, 感染 finds enough (13).
        results = backend.search("凹凸 感染")
        assert labels(results)[0] == "BOTH" and results.matched_all and results.total == 13
        assert results.optional_words == ("凹凸",) and not results.any_word
        # Enough cases with every word: no word is left out.
        every = backend.search("凹凸 脂肪吸引")
        assert every.total == 22 and every.optional_words == () and every.matched_all

    def test_no_case_with_every_word_falls_back_to_any_word(self, backend):
        partial = backend.search("ボトックス 脂肪吸引")
        assert not partial.matched_all and partial.any_word
        assert sorted(labels(partial)) == ["P1", "P6"]

    def test_words_no_case_has_are_left_out_and_named(self, backend):
        results = backend.search("ボトックス ｘｙｚ")
        assert labels(results) == ["P1"] and results.unknown_words == ("xyz",)
        nothing = backend.search("ｘｙｚ")
        assert nothing.total == 0 and nothing.unknown_words == ("xyz",)

    def test_a_query_without_words_finds_nothing(self, backend):
        results = backend.search("　")
        assert results.hits == [] and results.total == 0 and not results.matched_all

    def test_a_long_query_is_cut_to_the_word_cap(self, backend):
        # Latin words the analyser keeps whole and no case has.
        words = " ".join(f"w{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40))
        results = backend.search(f"ボトックス {words}")
        assert labels(results) == []  # ボトックス is past the cap
        assert len(results.unknown_words) == base.MAX_QUERY_TERMS

    # Filters, facets, order, pages, snippets

    def test_open_cases_are_for_staff_and_marked(self, backend):
        assert "OPEN" not in labels(backend.search("ヒアルロン酸"))
        staff = backend.search("ヒアルロン酸", include_open=True)
        assert "OPEN" in labels(staff)
        assert next(h for h in staff.hits if h.label == "OPEN").is_open

    def test_filters_and_facets(self, backend):
        results = backend.search("ヒアルロン酸", filters={"outcome": "liable"})
        assert labels(results) == ["P2"] and results.total == 1
        facets = backend.search("ヒアルロン酸").facets
        assert set(facets) == set(base.FACETS)
        assert dict(facets["outcome"]) == {"liable": 1, "referred": 1}
        assert dict(facets["payout_band"])["500万円超〜1,000万円"] == 1
        assert dict(facets["complaint_type"])["complication"] == 2
        assert dict(facets["year"]) == {"2023": 1, "2024": 1}
        assert labels(
            backend.search("ヒアルロン酸", filters={"complaint_type": "repeated_contact"})
        ) == ["P5"]
        assert labels(
            backend.search("ヒアルロン酸", filters={"year": "2023", "procedure": ""})
        ) == ["P2"]  # an empty filter is no filter

    def test_facets_over_many_matches(self, backend, monkeypatch):
        """Counted exactly, or (a backend that samples) estimated, shown as 約: either way they
        add up to the total, which is exact."""
        backend.index(
            [_doc(f"S{i}", "脂肪吸引", "術後に瘢痕拘縮が残った。", field="cosmetic_surgery",
                  outcome="liable" if i % 2 else "not_liable") for i in range(40)]
        )  # fmt: skip
        samples = backend.facet_sample is not None
        if samples:
            monkeypatch.setattr(type(backend), "facet_sample", 10)  # as if forty were many
        results = backend.search("瘢痕拘縮")
        assert results.total == 40 and results.facets_estimated == samples
        assert sum(n for _, n in results.facets["outcome"]) == 40
        assert dict(results.facets["procedure"]) == {"脂肪吸引": 40}
        assert not backend.search("ボトックス").facets_estimated

    def test_sort_orders(self, backend):
        assert labels(backend.search("ヒアルロン酸", sort="newest")) == ["P5", "P2"]
        assert labels(backend.search("ヒアルロン酸", sort="oldest")) == ["P2", "P5"]
        # By date, the cases with every word still come first.
        assert labels(backend.search("ヒアルロン酸 血流障害", sort="newest"))[0] == "P2"
        by_relevance = backend.search("ヒアルロン酸 しこり", sort="relevance")
        assert labels(by_relevance)[0] == "P5"

    def test_paging(self, backend):
        first = backend.search("ヒアルロン酸", sort="newest", per_page=1)
        second = backend.search("ヒアルロン酸", sort="newest", per_page=1, page=2)
        assert labels(first) == ["P5"] and labels(second) == ["P2"]
        assert second.total == 2 and second.pages == 2 and second.page == 2
        assert labels(backend.search("ヒアルロン酸", per_page=1, page=3)) == []

    def test_snippets_mark_the_words_and_are_escaped(self, backend):
        assert "<mark>しこり</mark>" in backend.search("しこり").hits[0].snippet
        backend.index([_doc("X", "その他", "<script>alert(1)</script> 腫れがある", field="other")])
        snippet = next(h for h in backend.search("腫れ").hits if h.label == "X").snippet
        assert "<script>" not in snippet and "&lt;script&gt;" in snippet

    def test_snippets_mark_whole_words_only(self, backend):
        backend.index([_doc("H", "HIFU", "hifu照射の後、hifuxx社の機器で熱傷が残った。")])
        snippet = next(h for h in backend.search("hifu").hits if h.label == "H").snippet
        assert "<mark>hifu</mark>照射" in snippet and "hifuxx社" in snippet

    # Writing

    def test_reindexing_replaces_and_delete_removes(self, backend):
        backend.index([_doc("P4", "レーザー脱毛", "照射部位に水疱ができた。", outcome="resolved")])
        assert labels(backend.search("熱傷")) == []
        assert labels(backend.search("水疱")) == ["P4"]
        backend.delete(["import:P4", "import:NEVER-INDEXED"])
        assert labels(backend.search("水疱")) == []
        assert backend.similar("import:P4") == []

    def test_rebuild_replaces_the_whole_index(self, backend):
        without_p6 = [d for d in CORPUS if d.label != "P6"]
        progress = []
        assert backend.rebuild(without_p6, batch_size=2, progress=progress.append) == 6
        assert progress == [2, 4, 6]
        assert labels(backend.search("脂肪吸引")) == []
        assert labels(backend.search("ボトックス")) == ["P1"]
        assert labels(backend.similar("import:P5"))[0] == "P2"

    def test_a_failed_rebuild_leaves_the_index_as_it_was(self, backend):
        def failing():
            yield CORPUS[0]
            raise RuntimeError("the source failed")

        with pytest.raises(RuntimeError):
            backend.rebuild(failing(), batch_size=1)
        assert labels(backend.search("脂肪吸引")) == ["P6"]
        assert backend.search("ヒアルロン酸").total == 2

    def test_reset_index_empties_it(self, backend):
        backend.reset_index()
        assert backend.search("ボトックス").total == 0
        assert backend.similar("import:P5") == []
        backend.index(CORPUS[:1])
        assert labels(backend.search("ボトックス")) == ["P1"]

    # Similar cases

    def test_similar_cases_share_the_procedure_or_the_problem(self, backend):
        similar = backend.similar("import:P5")
        assert similar[0].label == "P2" and "同じ施術" in similar[0].reason
        assert "import:P5" not in [h.key for h in similar]  # never itself
        assert "OPEN" not in labels(similar)
        assert "OPEN" in labels(backend.similar("import:P5", include_open=True))
        assert len(backend.similar("import:P5", limit=1)) == 1

    def test_similar_cases_come_from_the_same_procedure_first_in_a_large_index(self, backend):
        # 二重瞼 is the commonest word of the case, the first the relaxation would drop; sixty
        # cases of another procedure share its rarer words. A reviewer still wants the cases of
        # its own procedure with the same problem first.
        backend.index(
            [_doc(f"F{i}", "二重瞼", "切開法の後、幅が広いと訴えた。", field="cosmetic_surgery")
             for i in range(70)]
            + [_doc(f"L{i}", "レーザー脱毛", "施術後に色素沈着と水疱が残り、説明不足を指摘された。")
               for i in range(60)]
            + [_doc(f"E{i}", "二重瞼", "施術後に色素沈着が残った。", field="cosmetic_surgery")
               for i in range(3)]
            + [_doc("SRC", "二重瞼", "施術後に色素沈着と水疱が残り、説明不足を指摘された。",
                    field="cosmetic_surgery")]
        )  # fmt: skip
        similar = backend.similar("import:SRC")
        assert sorted(labels(similar)[:3]) == ["E0", "E1", "E2"]
        assert all("同じ施術（二重瞼）" in hit.reason for hit in similar[:3])

    def test_similar_to_an_unknown_case_is_nothing(self, backend):
        assert backend.similar("import:NONE") == []

    # A server that cannot be reached

    def test_an_unreachable_server_raises_search_unavailable(self, unreachable):
        with pytest.raises(SearchUnavailable):
            unreachable.search("しこり")
        with pytest.raises(SearchUnavailable):
            unreachable.similar("import:P5")
        with pytest.raises(SearchUnavailable):
            unreachable.index(CORPUS[:1])
        # No words: nothing to ask, so nothing fails.
        assert unreachable.search("　").total == 0
