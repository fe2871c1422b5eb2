"""End to end: personal data written into reported cases never reaches the precedent index, a
very long narrative is scrubbed and indexed in reasonable time, and scrubbing costs no relevance.
"""

import dataclasses
import random
import re
import unicodedata
from datetime import date

import pytest

from search.backends import get_search_backend
from search.documents import PrecedentDocument
from search.models import PrecedentEntry
from search.scrub import scrub
from tests.casework import conftest as casework

from . import pii_variants as pii
from . import test_relevance
from .test_scrub import deadline

pytestmark = pytest.mark.django_db

# The casework fixtures behind a member's report (pytest finds fixtures among module attributes).
_reference_data, make_user, facility, policy = (
    casework._reference_data, casework.make_user, casework.facility, casework.policy
)  # fmt: skip
doctor, member, report = casework.doctor, casework.member, casework.report

CASES = 6
PER_KIND = 6  # of each kind in pii.BUILDERS, per case
NAMES_PER_CASE = 10
# Sentences without a digit, a place or a Latin word, so that whatever of those the index holds
# came from the personal data.
FILLER = [
    "ヒアルロン酸注入後のしこりについて苦情",
    "埋没法のあと左右差が気になると言われている",
    "施術前に腫れと内出血について書面で説明していた",
    "患者さんは返金と再施術を求めている",
    "医師が診察し経過観察とした",
    "口コミサイトに書き込むと話している",
]
CONTEXT_WORDS = {"dob", "tel"}  # Latin words of the sentences around the personal data


def _case_narrative(rng: random.Random, patient) -> tuple[str, list[pii.Variant]]:
    variants = [
        *(pii.BUILDERS[kind](rng) for kind in sorted(pii.BUILDERS) for _ in range(PER_KIND)),
        *(pii.name(rng, patient) for _ in range(NAMES_PER_CASE)),
    ]
    sentences = [v.sentence for v in variants] + FILLER
    rng.shuffle(sentences)
    return "。".join(sentences) + "。", variants


def _found(backend, query: str) -> bool:
    """Whether some case holds every word of `query`. The search leaves out words no case has
    and answers with the rest, so the words around personal data (生年月日 gives 年, 月, 日)
    would let a date "find" cases that hold none of its numbers."""
    results = backend.search(query, include_open=True)
    return bool(results.hits) and results.matched_all and not results.unknown_words


def test_no_way_of_writing_personal_data_is_found_in_the_precedent_index(
    report, django_capture_on_commit_callbacks, capsys
):
    rng = random.Random(20261130)
    reported = []
    for _ in range(CASES):
        patient = pii.patient(rng)
        narrative, variants = _case_narrative(rng, patient)
        with django_capture_on_commit_callbacks(execute=True):
            case = report(
                narrative=narrative,
                patient={"name": patient.name, "name_kana": patient.name_kana},
            )
        reported.append((case, patient, variants))

    backend = get_search_backend()
    tried = 0
    for case, patient, variants in reported:
        entry = PrecedentEntry.objects.get(label=case.reference)
        stored = pii.nfkc(f"{entry.text} {entry.terms}")
        assert not re.search(r"[0-9]", entry.text), entry.text
        assert set(re.findall(r"[a-z]+", pii.nfkc(entry.text))) <= CONTEXT_WORDS, entry.text
        for variant in variants:
            tried += 1
            assert not _found(backend, variant.written), variant
            for secret in variant.secrets:
                assert pii.nfkc(secret) not in stored, (variant, secret)
        family, given = patient.family, patient.given
        family, given = (*family, pii.katakana(family[1])), (*given, pii.katakana(given[1]))
        for form in [
            *family[:3],
            family[4],
            *family[3],
            *given[:3],
            given[4],
            *given[3],
        ]:  # kanji, kana, romaji
            if len(form) > 1:  # one kanji (愛) is an ordinary word alone
                assert pii.nfkc(form) not in stored, form
    assert len(backend.search("しこり", include_open=True).hits) == CASES  # the medicine is there
    with capsys.disabled():
        print(f"\nscrub, index level: {tried} variants of personal data searched, none found")
    assert tried == CASES * (len(pii.BUILDERS) * PER_KIND + NAMES_PER_CASE)


def test_a_narrative_at_the_members_limit_is_reported_and_indexed(
    report, django_capture_on_commit_callbacks
):
    """20,000 characters (the report form's limit) are 60,000 bytes: more than SudachiPy takes
    at once. The case used to be saved and then fail to be indexed."""
    sentence = "ヒアルロン酸注入後のしこりについて苦情があり、再診で経過を説明した。"
    narrative = (sentence * (20_000 // len(sentence)))[:19_990] + "最後に瘢痕拘縮。"
    assert len(narrative.encode()) > 49_149
    with django_capture_on_commit_callbacks(execute=True):
        case = report(narrative=narrative)
    backend = get_search_backend()
    for word in ("しこり", "瘢痕拘縮"):  # the first sentence and the last
        assert [h.label for h in backend.search(word, include_open=True).hits] == [case.reference]


def test_a_200000_character_narrative_is_scrubbed_and_indexed_quickly():
    rng = random.Random(7)
    patient = pii.patient(rng)
    sentences, variants = [], []
    while sum(map(len, sentences)) < 200_000:
        variant = rng.choice([*pii.BUILDERS.values(), lambda r: pii.name(r, patient)])(rng)
        variants.append(variant)
        sentences += [variant.sentence, pii.medical_sentence(rng), rng.choice(FILLER)]
    text = ("。".join(sentences) + "。")[:200_000]
    assert len(text) == 200_000
    with deadline(30):  # it takes about a second; the old scrub took minutes
        document = PrecedentDocument(
            key="import:long", label="LONG", claim_date=date(2026, 3, 20),
            procedure_field="cosmetic_surgery", procedure="二重瞼", complaint_types=(),
            outcome="resolved", payout_yen=None, is_open=False,
            text=scrub(text, names=(patient.name, patient.name_kana)),
        )  # fmt: skip
        get_search_backend().index([document])
    stored = pii.nfkc(PrecedentEntry.objects.get(label="LONG").text)
    for variant in variants[:-1]:  # the last sentence may be cut
        for secret in variant.secrets:
            assert pii.nfkc(secret) not in stored, variant
    assert get_search_backend().search("しこり").hits[0].label == "LONG"


def test_scrubbing_the_relevance_corpus_changes_nothing_and_costs_no_relevance(monkeypatch):
    documents = list(test_relevance._documents())
    scrubbed = [dataclasses.replace(d, text=scrub(d.text)) for d in documents]
    # Nothing in the 150 synthetic narratives is personal data: scrubbing only normalises them.
    assert [d.text for d in scrubbed] == [unicodedata.normalize("NFKC", d.text) for d in documents]
    monkeypatch.setattr(test_relevance, "_documents", lambda: iter(scrubbed))
    recall, ndcg, _ = test_relevance.measure()
    assert recall >= test_relevance.RECALL_AT_10 and ndcg >= test_relevance.NDCG_AT_10
