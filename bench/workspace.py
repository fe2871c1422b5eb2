"""The staff workspace and マイページ at scale: every page each role opens, timed in-process.

    .venv/bin/python bench/workspace.py [--cases 10000 100000] [--repeat 30] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amrm_bench_me .venv/bin/python bench/workspace.py

Builds a throw-away database (SQLite: a temp file; PostgreSQL: the database DATABASE_URL names,
which must start with amrm_bench and is dropped and created afresh) with `migrate`, the people of
every role, 300 facilities with their policies, then the cases in bulk: bulk_create of cases,
their transitions, opinions and assessments, in batches, with a realistic mix of states for each
case's age (received over the last six years: new ones in 受付 and 初期対応, recent ones under
review or in the money steps, old ones finished) and dates relative to today. The service-level
fields come from the same bookkeeping the services use (service_level_records), replayed over each
case's transitions. One facility reports --facility-cases of them (its マイページ is timed).
The first --precedents cases (10,000 by default) go into the precedent index, as the services
would have put them: indexing runs the Japanese analyser over every case (about 200 cases/s
here), and the search at 100,000 cases is bench/search.py's subject.

For each --cases total, smallest first (the database grows to the next total), it analyses the
database for the planner, then times each page with Django's test client as the role that opens
it: 3 warm-up requests, then --repeat timed ones; prints p50 and p95 in ms. Settings are
bench.settings (DEBUG off, cached templates), the database as above.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
BATCH = 5000
WARMUP = 3
YEARS = 6

# The transitions that lead to each final state, by name (their targets come from the model).
PATHS = {
    "received": [],
    "triage": ["start_triage"],
    "awaiting_info": ["start_triage", "request_info"],
    "answered": ["start_triage", "request_info", "provide_info"],
    "patient_hearing": ["start_triage", "start_hearing"],
    "resolved": ["start_triage", "resolve"],
    "not_covered": ["mark_not_covered"],
    "withdrawn": ["start_triage", "withdraw"],
    "under_review": ["start_triage", "refer_to_review"],
    "liable": ["start_triage", "refer_to_review", "decide_liable"],
    "not_liable": ["start_triage", "refer_to_review", "decide_not_liable"],
    "referred": ["start_triage", "refer_to_review", "decide_not_liable", "refer"],
    "assessment": ["start_triage", "refer_to_review", "decide_liable", "start_assessment"],
}
PATHS["settlement"] = [*PATHS["assessment"], "assess", "start_settlement"]
PATHS["litigation"] = [*PATHS["settlement"], "go_to_court"]
PATHS["payment_approval"] = [*PATHS["settlement"], "request_payment"]
PATHS["paid"] = [*PATHS["payment_approval"], "approve_payment"]
PATHS["closed"] = [*PATHS["paid"], "close"]
PATHS["closed_resolved"] = [*PATHS["resolved"], "close"]
PATHS["closed_referred"] = [*PATHS["referred"], "close"]

# (younger than this many days, {path: weight}): what becomes of a case with its age.
MIX = [
    (2, {"received": 8, "triage": 2}),
    (14, {"received": 1, "triage": 8, "awaiting_info": 3, "answered": 2, "patient_hearing": 2, "resolved": 1, "withdrawn": 1}),
    (60, {"under_review": 10, "triage": 1, "awaiting_info": 1, "resolved": 4, "not_covered": 2, "withdrawn": 2}),
    (200, {"liable": 1, "not_liable": 2, "assessment": 3, "settlement": 4, "litigation": 1, "payment_approval": 1, "paid": 2, "referred": 2, "closed": 4, "closed_resolved": 3}),
    (YEARS * 366, {"closed": 30, "closed_resolved": 25, "closed_referred": 10, "withdrawn": 8, "not_covered": 5, "paid": 1, "litigation": 1}),
]  # fmt: skip

NARRATIVES = [
    "ヒアルロン酸注射の翌日から腫れと内出血が続き、仕上がりに不満があると連絡があった。",
    "二重瞼の埋没法の後、左右差があるとして返金を求められている。",
    "レーザー脱毛の後に色素沈着が残り、治療費の返還を求められた。",
    "脂肪吸引の術後に凹凸が目立つとの訴えがあり、再手術を希望されている。",
    "ボトックス注射の効果がないとして、施術費用の全額返金を求められた。",
]


def _setup_django(database_url: str | None, workdir: Path) -> None:
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BENCH_DB", str(workdir / "workspace.sqlite3"))
    from django.conf import settings

    from config.settings.integrations import database_settings

    if database_url:
        settings.DATABASES = database_settings(database_url, default_sqlite=None)
    settings.ALLOWED_HOSTS = ["testserver"]
    # The second factor is checked once per session; the sessions here are force_login's.
    settings.STAFF_2FA_REQUIRED = False
    import django

    django.setup()


def _fresh_postgres(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("amrm_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the database name must start with amrm_bench")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


class Build:
    """The people, facilities and cases of the benchmark, created in bulk."""

    def __init__(self, *, seed: int, facility_cases: int):
        from django.utils import timezone

        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.facility_cases = facility_cases
        self.built = 0
        self._people()
        self._facilities()

    def _people(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from casework import roles
        from casework.choices import Specialty
        from casework.models import ReviewerProfile
        from casework.selectors import calendar_closures

        User = get_user_model()
        self.closures = calendar_closures()

        def person(username, group, family, given):
            user = User.objects.create_user(
                username, email=f"{username}@example.jp", last_name=family, first_name=given
            )
            user.groups.add(Group.objects.get(name=group))
            return user

        self.support = person("support1", roles.SUPPORT, "日向", "さやか")
        self.support2 = person("support2", roles.SUPPORT, "小野", "健")
        self.chair = person("chair", roles.CHAIR, "坪井", "良治")
        self.surgeon = person("surgeon", roles.REVIEWERS, "桐島", "誠")
        self.dermatologist = person("dermatologist", roles.REVIEWERS, "早川", "恵")
        self.lawyer = person("lawyer", roles.REVIEWERS, "北村", "亮")
        self.assessor = person("assessor", roles.ASSESSORS, "森田", "聡")
        self.insurer = person("insurer", roles.INSURER, "高橋", "一郎")
        self.insurer2 = person("insurer2", roles.INSURER, "鈴木", "花子")
        self.office = person("office", roles.ADMINS, "佐藤", "直美")
        for user, specialty in [
            (self.chair, Specialty.PLASTIC_SURGERY),
            (self.surgeon, Specialty.PLASTIC_SURGERY),
            (self.dermatologist, Specialty.DERMATOLOGY),
            (self.lawyer, Specialty.LAW),
        ]:
            ReviewerProfile.objects.create(user=user, specialty=specialty)

    def _facilities(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from casework import roles
        from casework.models import Facility, MemberProfile, Policy, Procedure

        facilities = Facility.objects.bulk_create(
            Facility(name=f"ベンチ美容クリニック {i:03d}", prefecture="東京都") for i in range(300)
        )
        self.facilities = list(Facility.objects.order_by("pk"))
        self.big = self.facilities[0]
        start = date.today().replace(month=1, day=1) - timedelta(days=366 * (YEARS + 1))
        Policy.objects.bulk_create(
            Policy(
                number=f"B-{facility.pk:05d}",
                course="facility",
                facility=facility,
                payout_limit=10_000_000,
                starts_on=start,
                ends_on=date.today() + timedelta(days=365),
            )
            for facility in facilities
        )
        self.policies = dict(Policy.objects.values_list("facility_id", "pk"))
        self.procedures = list(Procedure.objects.all())
        members = Group.objects.get(name=roles.MEMBERS)
        self.members = {}
        for facility in (self.big, self.facilities[1]):
            user = get_user_model().objects.create_user(
                f"member{facility.pk}", last_name="会員", first_name=str(facility.pk)
            )
            user.groups.add(members)
            MemberProfile.objects.create(user=user, facility=facility)
            self.members[facility.pk] = user
        self.surgeon.reviewer_profile.conflicted_facilities.add(self.facilities[2])

    def _actor(self, name: str, reporter):
        if name in ("report", "provide_info", "withdraw"):
            return reporter
        if name.startswith("decide"):
            return self.chair
        if name in ("start_assessment", "assess", "start_settlement"):
            return self.assessor
        if name in ("go_to_court", "request_payment"):
            return self.insurer
        if name == "approve_payment":
            return self.insurer2
        return self.rng.choice([self.support, self.support2])

    def grow(self, total: int) -> float:
        """Add cases until there are `total`; returns the seconds it took."""
        started = time.perf_counter()
        while self.built < total:
            count = min(BATCH, total - self.built)
            self._batch(count)
            self.built += count
        return time.perf_counter() - started

    def _batch(self, count: int) -> None:
        from django.db import transaction

        from casework.models import Assessment, Case, CaseTransition, Opinion
        from casework.models.procedures import opinions_suffice

        targets = {t.name: t.target for t in Case().get_all_state_transitions()}
        cases, events, opinions, assessed, complete = [], [], [], [], []
        for index in range(self.built, self.built + count):
            case, case_events = self._case(index, targets)
            cases.append(case)
            events.append(case_events)
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
            records = []
            for case, case_events in zip(cases, events, strict=True):
                for name, from_state, to_state, at, by in case_events:
                    records.append(
                        CaseTransition(
                            case=case, name=name, from_state=from_state, to_state=to_state,
                            at=at, by=by,
                        )
                    )  # fmt: skip
                case_opinions = self._opinions(case, case_events)
                opinions += case_opinions
                submitted = [o.specialty for o in case_opinions if o.submitted_at]
                if opinions_suffice(case.procedure.field, submitted):
                    complete.append(case.pk)
                if any(name == "assess" for name, *_ in case_events) or (
                    case.state == "assessment" and self.rng.random() < 0.5
                ):
                    assessed.append(self._assessment(case))
            CaseTransition.objects.bulk_create(records, batch_size=2000)
            Opinion.objects.bulk_create(opinions, batch_size=2000)
            # What Opinion.save stores, which bulk_create skips.
            Case.objects.filter(pk__in=complete).update(opinions_complete=True)
            Assessment.objects.bulk_create(assessed, batch_size=2000)

    def _case(self, index: int, targets: dict):
        from casework.models import Case
        from casework.service_level_records import case_service_level_record

        rng = self.rng
        if index < self.facility_cases:
            facility = self.big
        else:
            facility = self.facilities[1 + rng.randrange(len(self.facilities) - 1)]
        reporter = self.members.get(facility.pk) or self.members[self.facilities[1].pk]
        age = timedelta(days=rng.random() * YEARS * 365)
        received = self.now - age
        path = rng.choices(*zip(*next(mix for days, mix in MIX if age.days < days).items(), strict=True))[0]  # fmt: skip
        names = PATHS[path]
        urgent = rng.random() < 0.02
        procedure = rng.choice(self.procedures)
        claim = (received - timedelta(days=rng.randrange(1, 30))).date()
        # Steps spread over the case's life so far (at most about five months of it).
        span = min(age, timedelta(days=150)) * 0.95
        times = sorted(received + span * rng.random() for _ in names)
        state, handler, fields = "received", None, {}
        case_events = [("report", state, state, received, reporter)]
        for name, at in zip(names, times, strict=True):
            to_state = targets.get(name, state)  # an assessment changes no state
            by = self._actor(name, reporter)
            case_events.append((name, state, to_state, at, by))
            if name == "start_triage":
                handler, fields["first_response_at"] = by, at
            elif name.startswith("decide"):
                fields.update(
                    decision=to_state, decided_by=by, decided_at=at, decision_reasons="審査会の判定"
                )
            elif name == "request_payment":
                fields["payment_requested_by"] = by
            elif name == "approve_payment":
                fields.update(payment_approved_by=by, paid_at=at)
            elif name in ("close", "withdraw"):
                fields["closed_at"] = at
            state = to_state
        case = Case(
            reference=f"{received.year}-{index + 1:06d}",
            state=state,
            facility=facility,
            policy_id=self.policies[facility.pk],
            reporter=reporter,
            handler=handler,
            procedure=procedure,
            procedure_date=claim - timedelta(days=rng.randrange(1, 60)),
            claim_date=claim,
            complaint_types=["self_harm"] if urgent else ["result", "refund"],
            narrative=rng.choice(NARRATIVES),
            no_payment_promised=True,
            risk_self_harm=urgent,
            risk_lawsuit=path == "litigation",
            received_at=received,
            **fields,
        )
        for name, from_state, _to_state, at, _by in case_events:
            case_service_level_record(
                case=case,
                event=name,
                from_state=None if name == "report" else from_state,
                at=at,
                closures=self.closures,
            )
        return case, case_events

    def _opinions(self, case, case_events) -> list:
        from casework.models import Opinion

        reviewed = next(
            (at for name, _, _, at, _ in case_events if name == "refer_to_review"), None
        )
        if reviewed is None:
            return []
        if case.state == "under_review":
            # Anywhere from none to all three, some still drafts.
            reviewers = self.rng.sample(
                [self.surgeon, self.dermatologist, self.lawyer], self.rng.randrange(4)
            )
        else:
            reviewers = [self.surgeon, self.lawyer]
        opinions = []
        for reviewer in reviewers:
            submitted = case.state != "under_review" or self.rng.random() < 0.7
            opinions.append(
                Opinion(
                    case=case,
                    reviewer=reviewer,
                    specialty=reviewer.reviewer_profile.specialty,
                    conclusion="liable" if case.decision != "not_liable" else "not_liable",
                    text="所見",
                    created_at=reviewed,
                    submitted_at=reviewed + timedelta(days=1) if submitted else None,
                )
            )
        return opinions

    def _assessment(self, case):
        from casework.models import Assessment

        damages = self.rng.randrange(10, 300) * 10_000
        return Assessment(
            case=case,
            damages=damages,
            payout_limit=10_000_000,
            deductible=100_000,
            aggregate_remaining=30_000_000,
            total=max(damages - 100_000, 0),
            lines=[],
            assessed_by=self.assessor,
            assessed_at=case.state_since,
        )


def _index_precedents(built_from: int, limit: int) -> float:
    """Put the cases added since `built_from` (up to the `limit`-th) into the precedent index,
    as the services do."""
    from casework.models import Case
    from casework.precedents import precedent_documents
    from search.backends import get_search_backend

    started = time.perf_counter()
    backend = get_search_backend()
    if built_from >= limit:
        return 0.0
    cases = Case.objects.order_by("pk")[built_from:limit]
    batch = []
    for document in precedent_documents(cases):
        batch.append(document)
        if len(batch) == 1000:
            backend.index(batch)
            batch = []
    if batch:
        backend.index(batch)
    return time.perf_counter() - started


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        else:
            cursor.execute("VACUUM ANALYZE")


def _pages(build: Build) -> list[tuple[str, object, str, dict]]:
    """(label, user, url, params) of every page timed."""
    from casework.models import Case
    from casework.selectors import QUEUES, queues_for

    homes = [
        (f"ホーム（{user.username}）", user, "/admin/", {})
        for user in (build.support, build.surgeon, build.chair, build.assessor, build.insurer2, build.office)
    ]  # fmt: skip
    lists = [("案件一覧", build.office, "/admin/cases/", {})]
    for name, value in [
        ("state", "triage"),
        ("field", "cosmetic_surgery"),
        ("handler", str(build.support.pk)),
        ("risk", "self_harm"),
        ("age", "30"),
        ("overdue", "true"),
        ("q", "2025-00"),
    ]:
        lists.append((f"案件一覧 {name}={value}", build.office, "/admin/cases/", {name: value}))
    for key in QUEUES:
        user = next(
            u
            for u in (build.support, build.surgeon, build.chair, build.assessor, build.insurer2)
            if key in {q.key for q in queues_for(user=u)}
        )
        lists.append((f"案件一覧 queue={key}", user, "/admin/cases/", {"queue": key}))
    reviewed = Case.objects.filter(state="under_review", opinions__isnull=False).first()
    paid = Case.objects.filter(state="payment_approval").first()
    return [
        *homes,
        *lists,
        ("案件ページ（審査中・サポート）", build.support, f"/admin/cases/{reviewed.pk}/", {}),
        ("案件ページ（審査中・審査会長）", build.chair, f"/admin/cases/{reviewed.pk}/", {}),
        ("案件ページ（支払承認待ち）", build.insurer2, f"/admin/cases/{paid.pk}/", {}),
        ("事例検索", build.surgeon, "/admin/precedents/", {"q": "ヒアルロン酸 腫れ"}),
        (
            f"マイページ（{build.facility_cases:,}件の施設）",
            build.members[build.big.pk],
            "/mypage/",
            {},
        ),
    ]


def _time(pages, repeat: int) -> list[tuple[str, float, float]]:
    from django.test import Client

    clients = {}
    rows = []
    for label, user, url, params in pages:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        times = []
        for attempt in range(WARMUP + repeat):
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} {params} answered {response.status_code}")
            if attempt >= WARMUP:
                times.append(elapsed)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append((label, statistics.median(times), p95))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--facility-cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--precedents", type=int, default=10_000, help="cases indexed for search")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    workdir = Path(tempfile.mkdtemp(prefix="amrm-workspace-"))
    if database_url:
        _fresh_postgres(database_url)
    _setup_django(database_url, workdir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    build = Build(seed=args.seed, facility_cases=args.facility_cases)
    results, timings = {}, {}
    for total in sorted(args.cases):
        before = build.built
        seconds = build.grow(total)
        print(f"  {total:,} cases built in {seconds:.0f} s", file=sys.stderr)
        indexing = _index_precedents(before, args.precedents)
        print(f"  indexed in {indexing:.0f} s", file=sys.stderr)
        _analyse()
        timings[total] = (seconds, indexing)
        results[total] = _time(_pages(build), args.repeat)

    totals = sorted(results)
    print(f"{connection.vendor}, {os.cpu_count()} CPUs, {args.repeat} timed requests per page")
    for total in totals:
        seconds, indexing = timings[total]
        print(f"  up to {total:,} cases: built in {seconds:.0f} s, indexed in {indexing:.0f} s")
    header = "".join(f" | {f'{t:,} p50':>12} | {f'{t:,} p95':>12}" for t in totals)
    print(f"{'page':44}{header}")
    labels = [label for label, *_ in results[totals[0]]]
    for row, label in enumerate(labels):
        cells = "".join(
            f" | {results[t][row][1]:12.1f} | {results[t][row][2]:12.1f}" for t in totals
        )
        print(f"{label:44}{cells}")
    if not args.keep and not database_url:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    elif not database_url:
        print(f"kept {workdir}")


if __name__ == "__main__":
    main()
