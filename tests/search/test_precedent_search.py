"""The embedded precedent search: Japanese words, synonyms, filters, facets, similar cases."""

from datetime import date

import pytest
from django.core.management import call_command

from search.backends import database, get_search_backend
from search.documents import PrecedentDocument

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def backend():
    backend = get_search_backend()
    backend.index(CORPUS)
    return backend


def _labels(results):
    return [hit.label for hit in results.hits]


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
def test_any_name_finds_the_case(backend, query, expected):
    results = backend.search(query)
    assert results.matched_all
    assert sorted(_labels(results)[: len(expected)]) == expected


def test_cases_with_every_word_come_first_then_those_with_some(backend):
    results = backend.search("ヒアルロン酸 しこり")
    assert _labels(results)[0] == "P5"  # the only one with both
    assert "P2" in _labels(results) and results.matched_all and results.any_word


def test_in_a_large_index_the_commonest_word_is_dropped_first(backend, monkeypatch):
    # As if the index were large enough for ヒアルロン酸 (three of seven cases) to be common.
    monkeypatch.setattr(database, "COMMON_MIN_CASES", 0)
    results = backend.search("ヒアルロン酸 しこり")
    assert _labels(results) == ["P5"] and results.matched_all
    assert results.optional_words == ("ヒアルロン酸",) and not results.any_word


def test_no_case_with_every_word_falls_back_to_any_word(backend):
    partial = backend.search("ボトックス 脂肪吸引")
    assert not partial.matched_all and partial.any_word
    assert sorted(_labels(partial)) == ["P1", "P6"]


def test_words_no_case_has_are_left_out_and_named(backend):
    results = backend.search("ボトックス ｘｙｚ")
    assert _labels(results) == ["P1"] and results.unknown_words == ("xyz",)
    nothing = backend.search("ｘｙｚ")
    assert nothing.total == 0 and nothing.unknown_words == ("xyz",)


def test_open_cases_are_for_staff_and_marked(backend):
    assert "OPEN" not in _labels(backend.search("ヒアルロン酸"))
    staff = backend.search("ヒアルロン酸", include_open=True)
    assert "OPEN" in _labels(staff)
    assert next(h for h in staff.hits if h.label == "OPEN").is_open


def test_filters_and_facets(backend):
    results = backend.search("ヒアルロン酸", filters={"outcome": "liable"})
    assert _labels(results) == ["P2"]
    facets = backend.search("ヒアルロン酸").facets
    assert dict(facets["outcome"]) == {"liable": 1, "referred": 1}
    assert dict(facets["payout_band"])["500万円超〜1,000万円"] == 1
    assert dict(facets["complaint_type"])["complication"] == 2
    assert dict(facets["year"]) == {"2023": 1, "2024": 1}
    assert _labels(
        backend.search("ヒアルロン酸", filters={"complaint_type": "repeated_contact"})
    ) == ["P5"]


def test_sorting_paging_and_highlights(backend):
    newest = backend.search("ヒアルロン酸", sort="newest")
    assert _labels(newest) == ["P5", "P2"]
    page_two = backend.search("ヒアルロン酸", sort="newest", per_page=1, page=2)
    assert _labels(page_two) == ["P2"] and page_two.total == 2 and page_two.pages == 2
    hit = backend.search("しこり").hits[0]
    assert "<mark>しこり</mark>" in hit.snippet


def test_snippets_are_escaped(backend):
    backend.index([_doc("X", "その他", "<script>alert(1)</script> 腫れがある", field="other")])
    snippet = next(h for h in backend.search("腫れ").hits if h.label == "X").snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_reindexing_replaces_and_delete_removes(backend):
    backend.index([_doc("P4", "レーザー脱毛", "照射部位に水疱ができた。", outcome="resolved")])
    assert _labels(backend.search("熱傷")) == []
    assert _labels(backend.search("水疱")) == ["P4"]
    backend.delete(["import:P4"])
    assert _labels(backend.search("水疱")) == []


def test_similar_cases_share_the_procedure_or_the_problem(backend):
    similar = backend.similar("import:P5")
    assert similar[0].label == "P2"
    assert "同じ施術" in similar[0].reason and "共通する語" in similar[0].reason
    assert "import:P5" not in [h.key for h in similar]


def test_the_command_prints_the_same_results(backend, capsys):
    call_command("search_precedents", "ボトックス")
    out = capsys.readouterr().out
    assert out.startswith("P1\t") and "眼瞼下垂" in out
    call_command("search_precedents", "--similar-to", "P5", "--json")
    assert '"label": "P2"' in capsys.readouterr().out


def test_word_counts_follow_indexing_reindexing_and_deletion(backend):
    """The counts that tell common words from telling ones stay equal to a fresh count."""
    from collections import Counter

    from search.models import PrecedentEntry, TermStat

    backend.index([_doc("P4", "レーザー脱毛", "照射部位に水疱ができた。", outcome="resolved")])
    backend.delete(["import:P6"])
    recount = Counter(t for terms in PrecedentEntry.objects.values_list("terms", flat=True)
                      for t in terms.split())  # fmt: skip
    stats = dict(TermStat.objects.values_list())
    assert stats.pop("") == PrecedentEntry.objects.count() == 6  # the number of cases
    assert stats.pop(" ") == recount.total()  # and of their terms
    assert stats == dict(recount)


def test_facets_over_many_matches_are_estimated_from_a_sample(backend, monkeypatch):
    backend.index(
        [_doc(f"S{i}", "脂肪吸引", "術後に瘢痕拘縮が残った。", field="cosmetic_surgery",
              outcome="liable" if i % 2 else "not_liable") for i in range(40)]
    )  # fmt: skip
    monkeypatch.setattr(database, "FACET_SAMPLE", 10)  # as if forty matches were many
    results = backend.search("瘢痕拘縮")
    assert results.total == 40 and results.facets_estimated
    # Every fourth case by id is counted (ten of forty), scaled by four.
    assert sum(n for _, n in results.facets["outcome"]) == 40
    assert dict(results.facets["procedure"]) == {"脂肪吸引": 40}
    assert not backend.search("ボトックス").facets_estimated
