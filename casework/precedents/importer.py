"""Historical precedents from a spreadsheet export: read, check, store, index.

A file is CSV (UTF-8 with or without BOM, or Shift_JIS/cp932) or JSON Lines, with the columns
of COLUMNS. Each row is checked whole before anything is written; a valid row is then saved in
a transaction of its own, so a bad row never stops the good ones and never leaves half a row.
Re-importing a file updates rows by external_id. Saved rows are indexed for precedent search.
"""

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from search.backends import get_search_backend
from search.models import SynonymGroup
from search.scrub import scrub

from ..choices import CaseState, ComplaintType, ProcedureField
from ..models import HistoricalPrecedent, Procedure
from .documents import precedent_document

COLUMNS = (
    "external_id",
    "claim_date",
    "procedure",
    "complaint_types",
    "narrative",
    "outcome",
    "payout_yen",
    "closed_on",
)
ENCODINGS = ("auto", "utf-8", "shift_jis")
OTHER_PROCEDURE = "その他"
# Outcomes a payout belongs to; a payout on any other outcome is an error.
PAYOUT_OUTCOMES = {CaseState.LIABLE, CaseState.PAID}

_OUTCOMES = {state.label: state.value for state in CaseState}
_COMPLAINTS = {kind.label: kind.value for kind in ComplaintType}
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_DATE_ERROR = "日付の形式が正しくありません（例: 2019-04-01 または 2019/4/1）"
_EXTERNAL_ID_MAX = HistoricalPrecedent._meta.get_field("external_id").max_length


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, missing columns)."""


@dataclass(frozen=True)
class Issue:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}行目 {self.field}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> int:
        """Rows not imported (a row may have several errors)."""
        return len({issue.line for issue in self.errors})

    def summary(self) -> str:
        prefix = "【確認のみ・保存していません】" if self.dry_run else ""
        return (
            f"{prefix}新規 {self.created}件・更新 {self.updated}件・"
            f"エラー {self.failed}件・警告 {len(self.warnings)}件"
        )


def _normalise(value) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


# Reading ----------------------------------------------------------------------------------


def _decode(data: bytes, encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise ImportFileError(f"文字コードは {' / '.join(ENCODINGS)} のいずれかを指定してください")
    tries = {"auto": ["utf-8-sig", "cp932"], "utf-8": ["utf-8-sig"], "shift_jis": ["cp932"]}
    for codec in tries[encoding]:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "ファイルの文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）"
    )


def _csv_rows(text: str) -> Iterator[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [_normalise(name) for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFileError(f"列がありません: {', '.join(missing)}")
    start = reader.line_num + 1  # where the next record begins (a quoted cell may span lines)
    for values in reader:
        if any(value.strip() for value in values):
            yield start, dict(zip(header, values, strict=False))
        start = reader.line_num + 1


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        yield number, row if isinstance(row, dict) else None


def _rows(path: Path, encoding: str) -> Iterator[tuple[int, dict | None]]:
    text = _decode(path.read_bytes(), encoding)
    if path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{"):
        return _jsonl_rows(text)
    return _csv_rows(text)


# Checking ---------------------------------------------------------------------------------


class _Procedures:
    """Procedure names (and their synonyms) to Procedures."""

    def __init__(self):
        self.by_name: dict[str, Procedure] = {}
        for procedure in Procedure.objects.order_by("sort_order", "pk"):
            self.by_name.setdefault(_normalise(procedure.name), procedure)
        self.other = Procedure.objects.get(field=ProcedureField.OTHER, name=OTHER_PROCEDURE)
        self.groups = list(SynonymGroup.objects.all())
        self.by_id = {group.pk: group for group in self.groups}

    def resolve(self, name: str) -> Procedure | None:
        """The Procedure by its exact name, else through the synonym group the name belongs to
        (or the group's broader ones: 埋没法 → 二重瞼); None when unknown."""
        name = _normalise(name)
        if name in self.by_name:
            return self.by_name[name]
        for group in self.groups:
            if name not in {_normalise(v) for v in group.variants()}:
                continue
            seen = set()
            while group is not None and group.pk not in seen:
                seen.add(group.pk)
                for variant in group.variants():
                    if _normalise(variant) in self.by_name:
                        return self.by_name[_normalise(variant)]
                group = self.by_id.get(group.broader_id)
        return None


def _date(value: str) -> date | None:
    match = _DATE.fullmatch(value)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _check(line: int, raw: dict, procedures: _Procedures, report: ImportReport) -> dict | None:
    """The row's model values, or None after reporting every problem of the row."""
    errors: list[Issue] = []
    warnings: list[Issue] = []

    def error(name: str, message: str) -> None:
        errors.append(Issue(line, name, message))

    row = {
        name: ";".join(map(_normalise, value)) if isinstance(value, list) else _normalise(value)
        for name, value in raw.items()
        if name in COLUMNS
    }
    values: dict = {"external_id": row.get("external_id", "")}
    if not values["external_id"]:
        error("external_id", "必須です")
    elif len(values["external_id"]) > _EXTERNAL_ID_MAX:
        error("external_id", f"{_EXTERNAL_ID_MAX}文字以内で入力してください")

    for name in ("claim_date", "closed_on"):
        text = row.get(name, "")
        values[name] = _date(text)
        if not text:
            error(name, "必須です")
        elif values[name] is None:
            error(name, _DATE_ERROR)
    if values["claim_date"] and values["closed_on"] and values["closed_on"] < values["claim_date"]:
        error("closed_on", f"claim_date（{values['claim_date']:%Y-%m-%d}）より前の日付です")

    name = row.get("procedure", "")
    values["procedure"] = procedures.resolve(name) if name else None
    if values["procedure"] is None:
        values["procedure"] = procedures.other
        warnings.append(
            Issue(
                line, "procedure", f"「{name}」は施術の一覧にないため「その他」として取り込みます"
            )
            if name
            else Issue(line, "procedure", "空欄のため「その他」として取り込みます")
        )

    codes = []
    for label in filter(None, (part.strip() for part in row.get("complaint_types", "").split(";"))):
        if label not in _COMPLAINTS:
            error("complaint_types", f"「{label}」は苦情の種類にありません")
        elif _COMPLAINTS[label] not in codes:
            codes.append(_COMPLAINTS[label])
    values["complaint_types"] = codes

    values["narrative"] = scrub(str(raw.get("narrative") or "")).strip()
    if not values["narrative"]:
        error("narrative", "必須です")

    label = row.get("outcome", "")
    values["outcome"] = _OUTCOMES.get(label)
    if not label:
        error("outcome", "必須です")
    elif values["outcome"] is None:
        error("outcome", f"「{label}」は結果の区分にありません（例: 有責、無責、円満解決）")

    payout = row.get("payout_yen", "").replace(",", "")
    values["payout_yen"] = int(payout) if payout.isdecimal() else None
    if payout and values["payout_yen"] is None:
        error("payout_yen", "0以上の整数で入力してください（例: 1,200,000）")
    elif values["payout_yen"] and values["outcome"] and values["outcome"] not in PAYOUT_OUTCOMES:
        error("payout_yen", f"支払額は有責の事例にのみ入力できます（結果: {label}）")

    report.errors.extend(errors)
    if errors:
        return None
    report.warnings.extend(warnings)
    return values


# Importing --------------------------------------------------------------------------------


def precedents_import(*, path, encoding: str = "auto", dry_run: bool = False) -> ImportReport:
    """Import the file at `path`; raises ImportFileError when it cannot be read at all.

    Each valid row is saved in its own transaction (after the whole row has been checked), then
    every saved row is indexed. With dry_run, rows are checked and counted but nothing is saved.
    """
    path = Path(path)
    report = ImportReport(dry_run=dry_run)
    procedures = _Procedures()
    seen: dict[str, int] = {}
    saved: list[HistoricalPrecedent] = []
    for line, raw in _rows(path, encoding):
        if raw is None:
            report.errors.append(Issue(line, "行全体", "JSON として読み取れません"))
            continue
        values = _check(line, raw, procedures, report)
        if values is None:
            continue
        external_id = values.pop("external_id")
        if external_id in seen:
            report.errors.append(
                Issue(line, "external_id", f"{seen[external_id]}行目と重複しています")
            )
            continue
        seen[external_id] = line
        if dry_run:
            exists = HistoricalPrecedent.objects.filter(external_id=external_id).exists()
            report.updated += exists
            report.created += not exists
            continue
        with transaction.atomic():
            historical, created = HistoricalPrecedent.objects.update_or_create(
                external_id=external_id, defaults=values
            )
        report.created += created
        report.updated += not created
        saved.append(historical)
    if saved:
        get_search_backend().index([precedent_document(h) for h in saved])
    return report
