"""manage.py import_precedents FILE: past cases from a CSV or JSON Lines export (see casework/precedents/importer.py)."""

from django.core.management.base import BaseCommand, CommandError

from casework.precedents.importer import ENCODINGS, ImportFileError, precedents_import


class Command(BaseCommand):
    help = "過去事例を CSV（UTF-8 / Shift_JIS）または JSON Lines から取り込み、検索の索引に登録します。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV または JSON Lines（.jsonl）のファイル")
        parser.add_argument("--encoding", choices=ENCODINGS, default="auto")
        parser.add_argument("--dry-run", action="store_true", help="確認のみ（保存しません）")

    def handle(self, *args, **options):
        try:
            report = precedents_import(
                path=options["file"], encoding=options["encoding"], dry_run=options["dry_run"]
            )
        except (ImportFileError, OSError) as error:
            raise CommandError(f"ファイルを読み込めません: {error}") from error
        for issue in report.errors:
            self.stdout.write(f"エラー {issue}")
        for issue in report.warnings:
            self.stdout.write(f"警告 {issue}")
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"エラーのある {report.failed} 件は取り込んでいません。")
