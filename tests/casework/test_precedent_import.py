"""manage.py import_precedents: past cases from CSV / JSON Lines into the model and the index."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import HistoricalPrecedent
from casework.precedents import historical_documents
from casework.precedents.importer import precedents_import
from search.backends import get_search_backend
from search.models import PrecedentEntry

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parents[1] / "search" / "relevance" / "corpus.jsonl"
HEADER = "external_id,claim_date,procedure,complaint_types,narrative,outcome,payout_yen,closed_on"
# Line 2: ISO date, synonym name; 3: slashed date, unknown procedure; 4: bad date;
# 5: unknown outcome; 6: payout on a 無責 case; 7: a payout with commas.
OFFICE_CSV = f"""{HEADER}
H-1,2019-04-01,フィラー,合併症・後遺症;返金要求,注入後にしこりが残った。,有責,"1,200,000",2019-09-30
H-2,2019/4/1,糸リフト,仕上がりへの不満,糸の突出感があると訴えた。,無責,,2019/6/1
H-3,2019-13-01,二重瞼,仕上がりへの不満,左右差があると訴えた。,無責,,2019-06-01
H-4,2019-04-01,ボトックス,返金要求,効果がないと訴えた。,保留中,,2019-06-01
H-5,2019-04-01,ボトックス,返金要求,眼瞼下垂を訴えた。,無責,300000,2019-06-01
H-6,2020/1/5,ボツリヌストキシン注射,スタッフ対応,受付の対応に不満があった。,有責,50000,2020/2/1
"""


def _labels(query):
    return [hit.label for hit in get_search_backend().search(query, per_page=50).hits]


def _import(path, *args):
    """(exit status, stdout) of the command, as manage.py would end."""
    out = StringIO()
    try:
        call_command("import_precedents", str(path), *args, stdout=out)
    except CommandError:
        return 1, out.getvalue()
    return 0, out.getvalue()


def _write(tmp_path, name, text, encoding):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_corpus_imports_and_is_found():
    status, out = _import(CORPUS)
    assert status == 0, out
    assert HistoricalPrecedent.objects.count() == 150
    assert "新規 150件・更新 0件・エラー 0件" in out
    assert len(_labels("ボトックス")) >= 3
    first = HistoricalPrecedent.objects.get(external_id="R-003")
    assert first.procedure.name == "レーザー脱毛"  # 医療脱毛, by synonym
    assert first.outcome == "liable" and first.payout_yen == 800_000
    assert first.complaint_types == ["complication", "lawsuit"]
    assert len(list(historical_documents())) == 150


def test_shift_jis_csv_imports_valid_rows_and_reports_the_others(tmp_path):
    path = _write(tmp_path, "offices.csv", OFFICE_CSV, "cp932")
    status, out = _import(path)
    assert status == 1
    assert sorted(HistoricalPrecedent.objects.values_list("external_id", flat=True)) == [
        "H-1",
        "H-2",
        "H-6",
    ]
    filler = HistoricalPrecedent.objects.get(external_id="H-1")
    assert filler.procedure.name == "ヒアルロン酸注射" and filler.payout_yen == 1_200_000
    unknown = HistoricalPrecedent.objects.get(external_id="H-2")
    assert unknown.procedure.name == "その他" and unknown.procedure.field == "other"
    assert str(unknown.claim_date) == "2019-04-01" and str(unknown.closed_on) == "2019-06-01"
    assert "3行目 procedure: 「糸リフト」は施術の一覧にない" in out
    assert "4行目 claim_date: 日付の形式が正しくありません（例: 2019-04-01 または 2019/4/1）" in out
    assert "5行目 outcome: 「保留中」は結果の区分にありません" in out
    assert "6行目 payout_yen: 支払額は有責の事例にのみ入力できます" in out
    assert "新規 3件・更新 0件・エラー 3件・警告 1件" in out
    # Only the saved rows reach the index.
    assert sorted(PrecedentEntry.objects.values_list("label", flat=True)) == ["H-1", "H-2", "H-6"]


def test_reimport_updates_instead_of_duplicating(tmp_path):
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()[:5]]
    rows[0]["narrative"] = "施術後に虹色の発疹が出たと訴える。"
    path = tmp_path / "five.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    _import(CORPUS)
    assert "R-001" in _labels("ニキビ")

    report = precedents_import(path=path)
    assert (report.created, report.updated, report.failed) == (0, 5, 0)
    assert HistoricalPrecedent.objects.count() == 150
    assert PrecedentEntry.objects.filter(label="R-001").count() == 1
    assert "R-001" in _labels("虹色")
    assert "R-001" not in _labels("ニキビ")


def test_phone_numbers_and_emails_never_reach_the_index(tmp_path):
    text = (
        f"{HEADER}\n"
        "P-1,2024-05-01,ボトックス,頻回の連絡,患者から090-1234-5678と taro@example.jp に"
        "連絡するよう求められた。,紹介,,2024-06-01\n"
    )
    status, _ = _import(_write(tmp_path, "pii.csv", text, "utf-8"), "--encoding", "utf-8")
    assert status == 0
    saved = HistoricalPrecedent.objects.get(external_id="P-1").narrative
    assert "090" not in saved and "example" not in saved and "〔個人情報〕" in saved
    for query in ("090-1234-5678", "09012345678", "taro@example.jp", "example"):
        assert _labels(query) == [], query
    assert "P-1" in _labels("ボトックス")


def test_utf8_bom_csv_and_line_numbers_after_a_multiline_cell(tmp_path):
    text = (
        f"{HEADER}\n"
        "B-1,2023/10/2,二重まぶた,仕上がりへの不満,埋没法の糸が取れた。,円満解決,,2023/12/1\n"
        'B-2,2023/10/3,埋没法,,"腫れが続いた。\n左右差もある。",取下げ,,2023/11/1\n'
        "B-3,2023/10/4,埋没法,未知の苦情,腫れ。,取下げ,,2023/11/1\n"
    )
    status, out = _import(_write(tmp_path, "bom.csv", text, "utf-8-sig"))
    assert status == 1
    row = HistoricalPrecedent.objects.get(external_id="B-1")
    assert row.procedure.name == "二重瞼" and row.outcome == "resolved"
    # 埋没法 is a narrower term of 二重瞼: the broader group names the procedure.
    assert HistoricalPrecedent.objects.get(external_id="B-2").procedure.name == "二重瞼"
    assert "5行目 complaint_types: 「未知の苦情」は苦情の種類にありません" in out


def test_dry_run_writes_nothing(tmp_path):
    status, out = _import(CORPUS, "--dry-run")
    assert status == 0 and "新規 150件" in out and "保存していません" in out
    assert not HistoricalPrecedent.objects.exists()
    assert not PrecedentEntry.objects.exists()


def test_closed_before_claim_and_unreadable_json_are_errors(tmp_path):
    good = json.loads(CORPUS.read_text(encoding="utf-8").splitlines()[0])
    early = {**good, "external_id": "E-1", "closed_on": "2014-12-31"}
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([json.dumps(good), json.dumps(early), "{not json"]), encoding="utf-8")
    report = precedents_import(path=path)
    assert report.created == 1 and report.failed == 2
    assert [(i.line, i.field) for i in report.errors] == [(2, "closed_on"), (3, "行全体")]


def test_a_deleted_historical_case_leaves_the_index(tmp_path, django_capture_on_commit_callbacks):
    _import(_write(tmp_path, "office.csv", OFFICE_CSV, "utf-8"))
    assert "H-1" in _labels("しこり")
    with django_capture_on_commit_callbacks(execute=True):
        HistoricalPrecedent.objects.get(external_id="H-1").delete()
    assert "H-1" not in _labels("しこり")
