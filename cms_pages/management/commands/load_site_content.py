from django.core.management.base import BaseCommand

from cms_pages.services import site_content_load


class Command(BaseCommand):
    help = "Create the association's public pages from the project's transcription (idempotent)."

    def handle(self, *args, **options):
        report = site_content_load()
        if options["verbosity"] == 0:
            return
        if not report.created:
            self.stdout.write("サイトのコンテンツは読み込み済みです（変更なし）。")
            return
        for line in report.lines():
            self.stdout.write(f"作成: {line}")
        self.stdout.write(self.style.SUCCESS(f"{len(report.created)} 件を作成しました。"))
