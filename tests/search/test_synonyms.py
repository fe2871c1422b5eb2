"""Any of a procedure's names finds the others; a broader term finds its narrower ones."""

import pytest

from search.models import SynonymGroup
from search.synonyms import SynonymSet

pytestmark = pytest.mark.django_db


def _matches(synonyms: SynonymSet, query: str, document: str) -> bool:
    """Every query token is among the document's tokens (the AND the backends apply)."""
    return set(synonyms.analyse_query(query).split()) <= set(
        synonyms.analyse_document(document).split()
    )


@pytest.fixture
def synonyms():
    return SynonymSet.load()  # the seed list loaded by migration


@pytest.mark.parametrize(
    "query, document",
    [
        ("ボトックス", "眉間にボツリヌストキシン注射を行った後、眼瞼下垂を訴えている。"),
        ("ボツリヌストキシン注射", "ボトックスの効果がないと返金を求められた。"),
        ("フィラー", "ヒアルロン酸を注入した部位にしこりが残った。"),
        ("二重まぶた 腫れ", "埋没法の3週間後も腫脹が引かない。"),
        ("二重瞼", "全切開の傷跡について苦情があった。"),
        ("腫れ", "施術後に腫脹とむくみが続いている。"),
        ("やけど", "レーザー脱毛で熱傷が生じた。"),
        ("ＩＰＬ", "IPLで色素沈着が出た。"),
    ],
)
def test_a_search_by_any_name_finds_the_others(synonyms, query, document):
    assert _matches(synonyms, query, document)


def test_a_narrower_term_does_not_find_the_broader_one(synonyms):
    assert not _matches(synonyms, "埋没法", "二重瞼の切開で左右差が出た。")


def test_without_the_synonym_list_a_different_name_is_not_found():
    assert not _matches(SynonymSet(), "腫れ", "施術後に腫脹が続いている。")


def test_the_longest_name_wins(synonyms):
    tokens = synonyms.analyse_query("ボツリヌストキシン注射").split()
    assert len(tokens) == 1 and tokens[0].startswith("syn")


def test_editors_extend_the_list_and_searches_follow():
    assert not _matches(SynonymSet.load(), "糸リフト", "スレッドリフトの後に引きつれが出た。")
    SynonymGroup.objects.create(term="糸リフト", synonyms="スレッドリフト\nスレッド")
    assert _matches(SynonymSet.load(), "糸リフト", "スレッドリフトの後に引きつれが出た。")


def test_editors_manage_synonyms_in_the_admin(admin_client):
    response = admin_client.get("/admin/synonyms/")
    assert response.status_code == 200 and "ボツリヌストキシン注射" in response.content.decode()
    admin_client.post("/admin/synonyms/new/", {"term": "糸リフト", "synonyms": "スレッドリフト"})
    assert SynonymGroup.objects.filter(term="糸リフト").exists()
