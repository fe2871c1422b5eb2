from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.demo import DEMO_PASSWORD, demo_supporting_data_ensure, quietly
from casework.enrollment.demo import demo_applications
from casework.models import Case
from cms_pages.demo import demo_news_ensure
from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP

# Development only: known passwords, printed on purpose.
DEMO_USERS = [
    # (username, password, superuser, group, what they do)
    ("admin", "amrm-admin-demo", True, None, "管理者（すべての操作）"),
    ("editor", "amrm-editor-demo", False, EDITORS_GROUP, "編集者（変更を承認申請）"),
    ("approver", "amrm-approver-demo", False, APPROVERS_GROUP, "公開承認（申請を承認して公開）"),
]


class Command(BaseCommand):
    help = (
        "Load the site content, a demo news item, demo cases and demo logins (development "
        "only). Dated from today: run again on a later day, it renews the demo policies into "
        "the period then in force and adds nothing else."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_demo creates users with known passwords: DEBUG only.")
        # The services mail and log as they work; a newcomer should see only the logins.
        with quietly():
            self._load(today=timezone.localdate())
        self._logins()

    def _load(self, *, today):
        call_command("load_site_content", stdout=self.stdout)
        if made := demo_news_ensure(today=today):
            self.stdout.write(f"お知らせのデモを{made}件公開しました（/news/）。")
        if not Case.objects.exists():
            call_command("generate_demo_cases", count=60, stdout=self.stdout)
        elif renewed := demo_supporting_data_ensure(today=today).get("policies"):
            self.stdout.write(f"デモの保険契約を{renewed}件追加しました（現在の保険期間）。")
        if made := demo_applications(today=today):
            self.stdout.write(f"加入申込のデモを{made}件作成しました（管理画面 → 加入申込）。")

    def _logins(self):
        User = get_user_model()
        self.stdout.write("\nデモ用ログイン（http://127.0.0.1:8000/admin/）:")
        for username, password, superuser, group, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@amrm.example.jp"}
            )
            user.is_staff = user.is_superuser = superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"  {role}: ユーザー名 {username} / パスワード {password}")
        self.stdout.write(
            f"\n案件のデモ（パスワードはすべて {DEMO_PASSWORD}）:\n"
            "  会員（マイページ http://127.0.0.1:8000/mypage/）: member-1@example.jp（施設の管理者）、"
            "member-1-desk@example.jp（同じ施設の受付・報告者）、"
            "member-4@example.jp（保険が満了した施設：失効と継続のご案内）\n"
            "  サポート: support1 ／ 審査員: reviewer-plastic1, reviewer-derm1, reviewer-law1\n"
            "  審査会長: chair ／ 査定員: assessor\n"
            "  保険会社担当: insurer（支払承認を依頼）, insurer2（支払を承認）\n"
            "  職員は初回ログイン時に二段階認証（認証アプリ）を設定します。"
        )
