from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.choices import CaseState
from casework.demo import DEMO_PASSWORD, demo_cases_generate


class Command(BaseCommand):
    help = (
        "Generate demo casework data (development only). Facilities, doctors, policies and the "
        "demo logins (password 'amrm-demo') are created once and reused on later runs; every "
        "run ADDS --count new cases, walked through the workflow by the right users, each step "
        "at its moment of the last three years. Policies are counted from the period in force "
        "today. The same --seed gives the same cases. Refuses to run unless DEBUG is on or "
        "--force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=60, help="number of new cases to add (default 60)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even when DEBUG is off (creates users with a known password)",
        )

    def handle(self, *args, count, seed, force, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "generate_demo_cases creates demo users with a known password: DEBUG only "
                "(or pass --force)."
            )
        if count < 0:
            raise CommandError("--count must be 0 or more.")
        report = demo_cases_generate(count=count, seed=seed)
        self.stdout.write(f"デモ案件を{len(report.cases)}件追加しました（シード {seed}）。")
        for state, number in report.by_state.items():
            self.stdout.write(f"  {CaseState(state).label}: {number}件")
        self.stdout.write(
            f"新規作成: 施設{report.facilities_created}件・医師{report.doctors_created}名・"
            f"保険契約{report.policies_created}件・ユーザー{report.users_created}名"
            "（既存のものは再利用）"
        )
        self.stdout.write(
            f"デモ用ログインのパスワードはすべて {DEMO_PASSWORD} です"
            "（support1, reviewer-derm1, chair, assessor, insurer, member-1 など）。"
        )
