"""Precedent search on every backend: the database backend on SQLite and on PostgreSQL, and
the Elasticsearch backend.

    .venv/bin/python bench/search.py [--cases 100000] [--queries 1000] [--backend sqlite ...]

--backend (repeatable; default: all three) sqlite, postgresql (on --postgres-url) or
elasticsearch (on --elasticsearch-url; `scripts/elasticsearch start` starts a local node).
For each: a throw-away store (SQLite: a temp file through BENCH_DB; PostgreSQL: a fresh database
amrm_bench_<pid>, dropped afterwards; Elasticsearch: an alias amrm-bench-<pid> and its index,
deleted afterwards, with a temp SQLite file for the synonym groups), `manage.py migrate` in a
subprocess (which seeds the synonym groups), then in another subprocess with Django set up:

* generates --cases synthetic PrecedentDocuments deterministically (random.Random(--seed)) from
  Japanese fragments (procedures under several names, symptoms, the patient's behaviour; 2-4
  sentences each) and indexes them in batches of 1,000 through get_search_backend().index(batch),
  timed: indexing throughput in cases/s (analysis included, document generation not);
  Elasticsearch writes without waiting for each batch to become searchable (REFRESH off), as a
  rebuild does, and refreshes once at the end;
* analyses the store afterwards (SQLite: ANALYZE then PRAGMA optimize; PostgreSQL: VACUUM
  ANALYZE, i.e. ANALYZE plus the visibility map autovacuum would set; Elasticsearch: refresh);
* runs 20 warm-up queries (not timed), then --queries varied queries (1-4 words, procedure names,
  synonyms, symptoms, behaviours, natural sentences; some with an outcome / year / field filter,
  some sorted by date) through backend.search(q, per_page=10), each timed;
* 20 warm-up then --similar timed backend.similar(key) calls on random keys.

Prints one table, a row per backend: p50/p95/p99 in ms for search and similar, the index size in
rows (and on disk), cases indexed/s; the CPU count and the exact command line; then where the time
of a search goes, per SQL statement kind (a connection execute_wrapper around every statement of
the timed calls) or per Elasticsearch request kind (a wrapper around the client's requests).
--keep leaves the store in place (its path / name is printed) to look at query plans.
"""

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 1000
WARMUP = 20

# --- synthetic corpus ------------------------------------------------------------------------

# (group, names written in narratives, procedure field, weight): several names per procedure so
# that synonyms matter; weights uneven, as real caseloads are.
PROCEDURES = [
    (
        "ボツリヌストキシン注射",
        ["ボトックス", "ボトックス注射", "ボツリヌストキシン注射"],
        "cosmetic_dermatology",
        14,
    ),
    (
        "ヒアルロン酸注射",
        ["ヒアルロン酸注射", "フィラー注入", "ヒアルロン酸注入", "フィラー"],
        "cosmetic_dermatology",
        14,
    ),
    ("二重瞼", ["埋没法", "切開法", "二重まぶた", "二重瞼", "二重整形"], "cosmetic_surgery", 16),
    ("レーザー脱毛", ["レーザー脱毛", "医療脱毛"], "cosmetic_dermatology", 12),
    ("脂肪吸引", ["脂肪吸引"], "cosmetic_surgery", 8),
    ("豊胸", ["豊胸手術", "シリコンバッグ", "豊胸術", "脂肪注入豊胸"], "cosmetic_surgery", 7),
    ("隆鼻", ["隆鼻術", "鼻プロテーゼ"], "cosmetic_surgery", 6),
    ("シミ治療", ["シミ取りレーザー", "シミ治療", "しみ取り"], "cosmetic_dermatology", 9),
    ("ピーリング", ["ケミカルピーリング", "ピーリング"], "cosmetic_dermatology", 6),
    ("点滴治療", ["美容点滴", "点滴治療"], "cosmetic_internal", 5),
    ("その他", ["糸リフト", "医療ダイエット"], "other", 3),
]
# (names, weight)
SYMPTOMS = [
    (["腫れ", "腫脹", "むくみ"], 18),
    (["内出血", "あざ", "皮下出血"], 14),
    (["しこり", "硬結"], 10),
    (["左右差", "非対称"], 12),
    (["熱傷", "やけど", "火傷"], 8),
    (["色素沈着", "黒ずみ"], 7),
    (["感染", "化膿"], 6),
    (["血流障害", "皮膚壊死", "血管閉塞"], 3),
    (["眼瞼下垂", "瞼が下がる"], 4),
    (["凹凸", "デコボコ"], 6),
]
# (how a narrative says it, query words, complaint type)
BEHAVIOURS = [
    ("返金を要求し", "返金要求", "refund"),
    ("毎日電話をかけてきて", "毎日電話", "repeated_contact"),
    ("SNSへの書き込みを示唆し", "SNSへの書き込み", "online_post"),
    ("弁護士に相談したと伝えてきて", "弁護士に相談", "lawsuit"),
    ("口コミに書くと言い", "口コミ", "online_post"),
    ("受付で大声を出し", "大声", "staff"),
]
REMEDIES = [
    "修正手術",
    "再施術",
    "経過観察",
    "抗生剤の投与",
    "ステロイド注射",
    "一部返金",
    "溶解注射",
]
DELAYS = ["翌日", "3日後", "1週間後", "2週間後", "1か月後", "施術直後", "数か月後"]
OUTCOMES = [  # closed outcomes (weight); open cases are a small share, below
    ("resolved", 22),
    ("paid", 18),
    ("not_liable", 14),
    ("closed", 16),
    ("withdrawn", 8),
    ("not_covered", 6),
    ("referred", 4),
    ("litigation", 3),
]
OPEN_OUTCOMES = ["triage", "under_review", "assessment", "settlement"]
START = date(2012, 1, 1)
DAYS = (date(2025, 12, 31) - START).days


def _pick(rng, weighted):
    return rng.choices(weighted, weights=[item[-1] for item in weighted])[0]


def make_document(rng: random.Random, number: int):
    from search.documents import PrecedentDocument

    group, names, field, _ = _pick(rng, PROCEDURES)
    name = rng.choice(names)
    symptoms = [rng.choice(_pick(rng, SYMPTOMS)[0]) for _ in range(rng.randint(1, 2))]
    behaviour = rng.choice(BEHAVIOURS) if rng.random() < 0.45 else None
    sentences = [
        rng.choice(
            [
                f"{name}の施術後、{symptoms[0]}が生じたとの訴えがあった。",
                f"{rng.choice(DELAYS)}から{symptoms[0]}が出現し、患者が再診を希望した。",
                f"{name}を受けた患者から、{symptoms[0]}について相談があった。",
                f"{name}後の{symptoms[0]}を理由に苦情の申し出があった。",
            ]
        )
    ]
    extra = [
        f"{symptoms[-1]}は{rng.choice(DELAYS)}も改善せず、説明不足を指摘された。",
        f"医師は{symptoms[-1]}は一時的なものと説明したが、患者は納得しなかった。",
        f"クリニックは{rng.choice(REMEDIES)}を提案した。",
        f"担当医の診察では{rng.choice(_pick(rng, SYMPTOMS)[0])}も認められた。",
        "施術前の同意書には合併症の記載があった。",
        f"他院で{rng.choice(REMEDIES)}を受けたとの申告があった。",
    ]
    if behaviour:
        extra.append(f"患者は{behaviour[0]}、対応に苦慮した。")
    rng.shuffle(extra)
    sentences += extra[: rng.randint(1, 3)]
    if behaviour and f"患者は{behaviour[0]}、対応に苦慮した。" not in sentences:
        sentences.append(f"患者は{behaviour[0]}、対応に苦慮した。")
        sentences = sentences[:4]
    complaints = {"complication" if rng.random() < 0.6 else "result"}
    if behaviour:
        complaints.add(behaviour[2])
    if rng.random() < 0.1:
        complaints.add("staff")
    is_open = rng.random() < 0.05
    outcome = rng.choice(OPEN_OUTCOMES) if is_open else _pick(rng, OUTCOMES)[0]
    payout = None
    if outcome in ("paid", "settlement", "litigation") and rng.random() < 0.8:
        payout = int(rng.lognormvariate(13.5, 1.0)) // 1000 * 1000 or 10_000
    claim_date = START + timedelta(days=rng.randrange(DAYS)) if rng.random() > 0.01 else None
    return PrecedentDocument(
        key=f"import:bench-{number:07d}",
        label=f"BENCH-{number:07d}",
        claim_date=claim_date,
        procedure_field=field,
        procedure=name,
        complaint_types=tuple(sorted(complaints)),
        outcome=outcome,
        payout_yen=payout,
        is_open=is_open,
        text="".join(sentences),
    )


def make_query(rng: random.Random) -> tuple[str, dict | None, str]:
    """(query, filters, sort)"""
    proc = rng.choice(_pick(rng, PROCEDURES)[1])
    symptom = rng.choice(_pick(rng, SYMPTOMS)[0])
    symptom2 = rng.choice(_pick(rng, SYMPTOMS)[0])
    behaviour = rng.choice(BEHAVIOURS)[1]
    group = _pick(rng, PROCEDURES)[0]
    kind = rng.random()
    if kind < 0.22:
        query = rng.choice([proc, group, symptom, behaviour])
    elif kind < 0.50:
        query = f"{rng.choice([proc, group])} {symptom}"
    elif kind < 0.62:
        query = f"{proc} {symptom} {behaviour}"
    elif kind < 0.70:
        query = f"{proc} {symptom} {symptom2} {behaviour}"
    elif kind < 0.88:
        query = rng.choice(
            [
                f"{proc}の後に{symptom}が出た事例",
                f"{proc}で{symptom}になり返金を求められた",
                f"{proc}のあと{symptom}が続き患者が毎日電話してくる",
                f"{symptom}と{symptom2}が出た{proc}の患者が弁護士に相談した",
                f"{proc}後に{symptom}、SNSに書き込むと言われた",
            ]
        )
    elif kind < 0.95:
        query = f"{symptom} {symptom2}"
    else:  # rarely or never in the corpus: the any-word fallback does the work
        query = rng.choice(
            ["顔面神経麻痺", "ハイフ 水ぶくれ", "フェイスリフト 引きつれ", "希死念慮", "傷跡 瘢痕"]
        )
    filters, sort = None, "relevance"
    roll = rng.random()
    if roll < 0.12:
        filters = {"outcome": _pick(rng, OUTCOMES)[0]}
    elif roll < 0.22:
        filters = {"year": rng.randint(2012, 2025)}
    elif roll < 0.27:
        filters = {"procedure_field": _pick(rng, PROCEDURES)[2]}
    elif roll < 0.30:
        filters = {"complaint_type": rng.choice(["refund", "lawsuit", "online_post"])}
    if rng.random() < 0.08:
        sort = rng.choice(["newest", "oldest"])
    return query, filters, sort


# --- the worker: Django set up, one database ---------------------------------------------------


def _classify(sql: str, params) -> str:
    # Rows are fetched after execute() returns, so fetching large results counts as Python.
    flat = " ".join(sql.split())
    if "search_synonymgroup" in flat:
        return "load synonyms"
    if "search_termstat" in flat:
        return "word frequencies"
    if flat.startswith("SELECT COUNT(*) FROM (SELECT 1"):
        return "relaxation probes (LIMIT)"
    if flat.startswith("SELECT COUNT(*)"):
        return "count"
    if "AS score" in flat and "e.key <>" in flat:
        return "similar: candidates"
    if "AS score" in flat:
        return "ranked page"
    if flat.startswith("SELECT e.procedure_field"):
        return "facets"
    if '"search_precedententry"."key" = ' in flat or '"key" =' in flat:
        return "similar: source entry"
    if "search_precedententry" in flat:
        return "fetch hits (in_bulk)"
    return "other"


def _classify_request(target: str, body) -> str:
    """The kind of an Elasticsearch request the backend sends (see search/backends/elasticsearch)."""
    body = body or {}
    if "/_doc/" in target:
        return "similar: source entry"
    if "words" in body.get("aggs", {}):
        return "word frequencies"
    if body.get("size") == 0:
        return "relaxation probes (size 0)"
    if body.get("aggs"):
        return "ranked page + facets"
    if target.endswith("/_search"):
        return "similar: candidates"
    return "other"


class _Recorder:
    """Time per statement (SQL) or request (Elasticsearch) kind, while `current` is a dict."""

    def __init__(self):
        self.current: dict[str, float] | None = None

    def _add(self, kind: str, start: float) -> None:
        if self.current is not None:
            self.current[kind] = self.current.get(kind, 0.0) + time.perf_counter() - start

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._add(_classify(sql, params), start)

    def wrap_transport(self, transport) -> None:
        # The client and its .options() copies share one transport: every request passes here.
        perform = transport.perform_request

        def timed(method, target, **kwargs):
            start = time.perf_counter()
            try:
                return perform(method, target, **kwargs)
            finally:
                self._add(_classify_request(target, kwargs.get("body")), start)

        transport.perform_request = timed


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(p):
        return ordered[min(int(round(p / 100 * (len(ordered) - 1))), len(ordered) - 1)]

    return {"p50": at(50), "p95": at(95), "p99": at(99), "max": ordered[-1]}


def worker(args) -> None:
    import django

    django.setup()
    from django.db import connection

    from search.backends import get_search_backend

    def log(message):
        print(f"  [{args.label}] {message}", file=sys.stderr, flush=True)

    backend = get_search_backend()
    elastic = hasattr(backend, "alias")
    rng = random.Random(args.seed)
    indexing = 0.0
    for start in range(0, args.cases, BATCH):
        batch = [make_document(rng, n) for n in range(start, min(start + BATCH, args.cases))]
        began = time.perf_counter()
        backend.index(batch)
        indexing += time.perf_counter() - began
        done = start + len(batch)
        if done % 10_000 == 0 or done == args.cases:
            log(f"indexed {done:,} ({done / indexing:,.0f} cases/s)")

    began = time.perf_counter()
    if elastic:
        backend.client.indices.refresh(index=backend.alias)
        analysed = "refresh"
    else:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
                cursor.execute("PRAGMA optimize")
                analysed = "ANALYZE; PRAGMA optimize"
            else:
                cursor.execute("VACUUM ANALYZE search_precedententry")
                analysed = "VACUUM ANALYZE search_precedententry"
    analyse_s = time.perf_counter() - began
    log(f"{analysed}: {analyse_s:.1f} s")
    rows, fts_rows, size, engine, version = (_elastic_store if elastic else _sql_store)(backend)

    recorder = _Recorder()
    if elastic:
        recorder.wrap_transport(backend.client.transport)
    qrng = random.Random(args.seed + 1)
    queries = [make_query(qrng) for _ in range(WARMUP + args.queries)]
    search_ms, totals, matched_all, breakdown = [], [], 0, []
    with connection.execute_wrapper(recorder):
        for i, (query, filters, sort) in enumerate(queries):
            timed = i >= WARMUP
            recorder.current = {} if timed else None
            began = time.perf_counter()
            results = backend.search(query, filters=filters, sort=sort, per_page=10)
            elapsed = (time.perf_counter() - began) * 1000
            if timed:
                search_ms.append(elapsed)
                totals.append(results.total)
                matched_all += results.matched_all
                breakdown.append(_with_python(recorder.current, elapsed))
        log(f"{args.queries} searches: p50 {statistics.median(search_ms):.1f} ms")

        srng = random.Random(args.seed + 2)
        keys = [
            f"import:bench-{srng.randrange(args.cases):07d}" for _ in range(WARMUP + args.similar)
        ]
        similar_ms, similar_breakdown = [], []
        for i, key in enumerate(keys):
            timed = i >= WARMUP
            recorder.current = {} if timed else None
            began = time.perf_counter()
            backend.similar(key)
            elapsed = (time.perf_counter() - began) * 1000
            if timed:
                similar_ms.append(elapsed)
                similar_breakdown.append(_with_python(recorder.current, elapsed))
        recorder.current = None
    log(f"{args.similar} similar: p50 {statistics.median(similar_ms):.1f} ms")

    slowest = sorted(range(len(search_ms)), key=lambda i: -search_ms[i])[:5]
    print(
        json.dumps(
            {
                "vendor": engine,
                "server_version": version,
                "rows": rows,
                "fts_rows": fts_rows,
                "size_bytes": size,
                "index_cases_per_s": args.cases / indexing,
                "index_s": indexing,
                "analysed": analysed,
                "analyse_s": analyse_s,
                "search": _percentiles(search_ms),
                "similar": _percentiles(similar_ms),
                "median_total": statistics.median(totals),
                "matched_all_share": matched_all / len(search_ms),
                "search_breakdown": _breakdown(breakdown),
                "similar_breakdown": _breakdown(similar_breakdown),
                "slowest": [
                    {
                        "ms": search_ms[i],
                        "query": queries[WARMUP + i][0],
                        "filters": queries[WARMUP + i][1],
                        "sort": queries[WARMUP + i][2],
                        "total": totals[i],
                    }
                    for i in slowest
                ],
            },
            ensure_ascii=False,
        )
    )


def _with_python(sql_seconds: dict[str, float], elapsed_ms: float) -> dict[str, float]:
    # Milliseconds per statement kind, plus what is not SQL (analysis, ranking, snippets).
    out = {k: v * 1000 for k, v in sql_seconds.items()}
    out["not the store (Python)"] = max(elapsed_ms - sum(out.values()), 0.0)
    return out


def _sql_store(backend) -> tuple[int, int, int, str, str]:
    """(entries, full-text rows, bytes on disk, engine, version) of the database backend."""
    from django.db import connection

    from search.models import PrecedentEntry

    rows = PrecedentEntry.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM search_precedent_fts")
            fts_rows = cursor.fetchone()[0]
            size = Path(connection.settings_dict["NAME"]).stat().st_size
            wal = Path(str(connection.settings_dict["NAME"]) + "-wal")
            size += wal.stat().st_size if wal.exists() else 0
            cursor.execute("SELECT sqlite_version()")
        else:
            fts_rows = rows  # the GIN index is on the table itself
            cursor.execute("SELECT pg_total_relation_size('search_precedententry')")
            size = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
        return rows, fts_rows, size, connection.vendor, cursor.fetchone()[0]


def _elastic_store(backend) -> tuple[int, int, int, str, str]:
    """The same for the Elasticsearch backend: documents, store size of the aliased index."""
    client = backend.client
    rows = client.count(index=backend.alias)["count"]
    size = client.indices.stats(index=backend.alias, metric="store")["_all"]["primaries"]
    # GET / is not there on the node scripts/elasticsearch starts (no rest-root module).
    version = ", ".join(client.cluster.stats()["nodes"]["versions"])
    return rows, rows, size["store"]["size_in_bytes"], "elasticsearch", version


def _breakdown(per_call: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per statement kind: p50 and p95 of its time per call (0 when a call did not run it), and
    its share of the calls' total time."""
    kinds = sorted({k for call in per_call for k in call})
    grand = sum(sum(call.values()) for call in per_call) or 1.0
    out = {}
    for kind in kinds:
        values = [call.get(kind, 0.0) for call in per_call]
        p = _percentiles(values)
        out[kind] = {"p50": p["p50"], "p95": p["p95"], "share": sum(values) / grand}
    sql = [sum(v for k, v in c.items() if k != "not the store (Python)") for c in per_call]
    p = _percentiles(sql)
    out["(all store calls)"] = {"p50": p["p50"], "p95": p["p95"], "share": sum(sql) / grand}
    return out


# --- the driver: one throw-away database per vendor ---------------------------------------------


def _run_one(label: str, args, extra_env: dict) -> dict:
    env = {
        **os.environ,
        **extra_env,
        "DJANGO_SETTINGS_MODULE": "bench.search_settings",
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
    }
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True, cwd=ROOT
    )
    print(
        f"  [{label}] migrated in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.search",
            "--worker",
            "--label",
            label,
            "--cases",
            str(args.cases),
            "--queries",
            str(args.queries),
            "--similar",
            str(args.similar),
            "--seed",
            str(args.seed),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_sqlite(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="amrm-search-bench-"))
    path = workdir / "bench.sqlite3"
    try:
        result = _run_one("sqlite", args, {"BENCH_DB": str(path)})
    finally:
        if args.keep:
            print(f"  [sqlite] kept {path}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def run_postgresql(args) -> dict:
    import psycopg

    name = f"amrm_bench_{os.getpid()}"
    admin = args.postgres_url.rstrip("/")
    base = admin.rsplit("/", 1)[0] if admin.count("/") > 2 else admin
    with psycopg.connect(
        admin if admin.count("/") > 2 else admin + "/postgres", autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        result = _run_one("postgresql", args, {"DATABASE_URL": f"{base}/{name}"})
    finally:
        if args.keep:
            print(f"  [postgresql] kept database {name} at {base}", file=sys.stderr)
        else:
            with psycopg.connect(
                admin if admin.count("/") > 2 else admin + "/postgres", autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return result


def run_elasticsearch(args) -> dict:
    from elasticsearch import Elasticsearch

    alias = f"amrm-bench-{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="amrm-search-bench-"))
    env = {
        "BENCH_DB": str(workdir / "synonyms.sqlite3"),
        "ELASTICSEARCH_URL": args.elasticsearch_url,
        "BENCH_ELASTICSEARCH_INDEX": alias,
    }
    try:
        result = _run_one("elasticsearch", args, env)
    finally:
        if args.keep:
            print(
                f"  [elasticsearch] kept alias {alias} at {args.elasticsearch_url}", file=sys.stderr
            )
        else:
            # By name: the node refuses wildcard deletes (action.destructive_requires_name).
            client = Elasticsearch(args.elasticsearch_url)
            names = list(client.indices.get(index=f"{alias}-*", allow_no_indices=True))
            if names:
                client.indices.delete(index=",".join(names))
        shutil.rmtree(workdir, ignore_errors=True)
    return result


RUNNERS = {"sqlite": run_sqlite, "postgresql": run_postgresql, "elasticsearch": run_elasticsearch}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def report(args, command: str, results: dict[str, dict]) -> None:
    print()
    print(f"command: {command}")
    print(
        f"{os.cpu_count()} CPUs ({_cpu_model()}); {args.cases:,} cases (seed {args.seed}), "
        f"{args.queries:,} timed searches and {args.similar} timed similar() calls, each after "
        f"{WARMUP} untimed warm-up calls; per_page=10"
    )
    for label, r in results.items():
        print(
            f"  {label}: {r['vendor']} {r['server_version']}; after indexing: "
            f"`{r['analysed']}` ({r['analyse_s']:.1f} s)"
        )
    print()
    head = (
        f"{'backend':13} {'rows':>8} {'fts rows':>8} {'size MB':>8} {'index/s':>8} "
        f"{'search p50':>10} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'similar p50':>11} {'p95':>7} {'p99':>7} {'max':>7}"
    )
    print(head)
    print("-" * len(head))
    for label, r in results.items():
        s, m = r["search"], r["similar"]
        print(
            f"{label:13} {r['rows']:>8,} {r['fts_rows']:>8,} {r['size_bytes'] / 1e6:>8.1f} "
            f"{r['index_cases_per_s']:>8,.0f} "
            f"{s['p50']:>10.1f} {s['p95']:>7.1f} {s['p99']:>7.1f} {s['max']:>7.1f} "
            f"{m['p50']:>11.1f} {m['p95']:>7.1f} {m['p99']:>7.1f} {m['max']:>7.1f}"
        )
    print("(latencies in ms; index/s: cases indexed per second, analysis included)")
    for label, r in results.items():
        print(
            f"\n{label}: median total hits per search {r['median_total']:,.0f}; "
            f"{r['matched_all_share']:.0%} of searches had a case with every word"
        )
        unit = "requests" if r["vendor"] == "elasticsearch" else "SQL"
        print(f"  {unit + ' per call (ms)':32} {'p50':>8} {'p95':>8} {'share':>6}")
        for title, key in (("search", "search_breakdown"), ("similar", "similar_breakdown")):
            for kind, v in sorted(r[key].items(), key=lambda kv: -kv[1]["share"]):
                print(
                    f"  {title + ': ' + kind:32} {v['p50']:>8.1f} {v['p95']:>8.1f} {v['share']:>6.0%}"
                )
        print("  slowest searches:")
        for q in r["slowest"]:
            extra = f" filters={q['filters']}" if q["filters"] else ""
            extra += f" sort={q['sort']}" if q["sort"] != "relevance" else ""
            print(f"    {q['ms']:7.1f} ms  total {q['total']:>6,}  {q['query']!r}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--similar", type=int, default=200, help="timed similar() calls")
    parser.add_argument(
        "--backend",
        action="append",
        choices=list(RUNNERS),
        help="sqlite, postgresql or elasticsearch; repeatable (default: all three)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="server to create the throw-away database on",
    )
    parser.add_argument(
        "--elasticsearch-url",
        default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
        help="node to index into (scripts/elasticsearch start)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the store(s) afterwards")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    executable = (
        os.path.relpath(sys.executable)
        if not os.path.relpath(sys.executable).startswith("..")
        else sys.executable
    )
    command = shlex.join([executable, *sys.argv])
    results = {name: RUNNERS[name](args) for name in args.backend or RUNNERS}
    report(args, command, results)


if __name__ == "__main__":
    main()
