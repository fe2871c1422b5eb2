"""Japanese morphological analysers compared for precedent search over complaint narratives.

    .venv/bin/python bench/analysers.py [--repeat 3] [--nfkc] [-v]

Compares SudachiPy (core dictionary, the one search/analysis.py uses), Janome and fugashi with
UniDic-lite. The last two are not project dependencies; install them into the venv for a run:

    .venv/bin/pip install janome fugashi unidic-lite

An analyser that is not installed is skipped with a note. For each analyser it prints:

* load: seconds to import the package, build the tokenizer and analyse one sentence (so that a
  lazily loaded dictionary is counted), in this process, with the OS file cache as it is;
* tokens/s and docs/s: best of --repeat passes over a fixed corpus of 400 generated complaint
  narratives (2,000 sentences), after one warm-up pass; a token is one emitted normalised token;
* probes: how many of 15 spelling-variant pairs analyse to the same set of normalised tokens
  (a failure such as Sudachi's 二重まぶた~二重瞼 is what a synonym list is for);
* parts: how many compound parts would be found, i.e. the analysed query for the part
  (ヒアルロン酸 → ヒアルロン 酸) is a subset of the analyser's tokens for the compound.

Each adapter uses its analyser's normalised form and finest split: Sudachi normalized_form of the
mode C units plus their mode A parts (exactly as search/analysis.py), Janome base_form (IPADIC
units, no further split), fugashi UniDic lemma (short units; the "-english" gloss that UniDic
appends to loanwords is cut, and unknown words, which have no lemma, keep their surface). Particles,
auxiliaries, symbols and prefixes are dropped, and tokens are lower-cased, like the project does.
No adapter applies NFKC on top of its analyser (the probes show which ones would need it);
--nfkc puts unicodedata.normalize("NFKC", text) in front of all three, timed with them.
The corpus and probes are deterministic; only the timings vary from run to run.
"""

import argparse
import random
import sys
import time
import unicodedata
from importlib.metadata import PackageNotFoundError, version

# --- adapters: each loads its analyser and returns (description, tokens(text) -> list[str]) -----


def sudachi():
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    stop = {"助詞", "助動詞", "補助記号", "空白", "接頭辞"}

    def tokens(text):
        out = []
        for m in tokenizer.tokenize(text):
            if m.part_of_speech()[0] in stop:
                continue
            out.append(m.normalized_form().lower())
            parts = m.split(SplitMode.A)
            if len(parts) > 1:
                out.extend(p.normalized_form().lower() for p in parts)
        return out

    return f"sudachipy {version('sudachipy')}, core {version('sudachidict_core')}", tokens


def janome():
    from janome.tokenizer import Tokenizer

    tokenizer = Tokenizer()
    stop = {"助詞", "助動詞", "記号", "接頭詞"}

    def tokens(text):
        return [
            t.base_form.lower()
            for t in tokenizer.tokenize(text)
            if t.part_of_speech.split(",", 1)[0] not in stop
        ]

    return f"janome {version('janome')}, ipadic", tokens


def fugashi():
    import fugashi as mecab
    import unidic_lite

    dicdir = unidic_lite.DICDIR  # pinned, so that a full `unidic` install is not picked instead
    tagger = mecab.Tagger(f'-d "{dicdir}" -r "{dicdir}/mecabrc"')
    stop = {"助詞", "助動詞", "補助記号", "空白", "接頭辞"}

    def tokens(text):
        out = []
        for w in tagger(text):
            if w.feature.pos1 in stop:
                continue
            lemma = (w.feature.lemma or w.surface).split("-", 1)[0] or w.surface
            out.append(lemma.lower())
        return out

    return f"fugashi {version('fugashi')}, unidic-lite {version('unidic-lite')}", tokens


ADAPTERS = {"sudachi": sudachi, "janome": janome, "fugashi": fugashi}
INSTALL = {
    "sudachi": "sudachipy sudachidict_core",
    "janome": "janome",
    "fugashi": "fugashi unidic-lite",
}

# --- quality checks ----------------------------------------------------------------------------

PROBES = [  # (variant, variant): each pair should analyse to the same normalised tokens
    ("すべての費用を返金してほしい", "全ての費用を返金してほしい"),
    ("受付で説明を受けた", "受け付けで説明を受けた"),
    ("傷の引きつれが残った", "傷の引き攣れが残った"),
    ("二重まぶたの手術", "二重瞼の手術"),
    ("ＡＢＣクリニック", "ABCクリニック"),
    ("１０万円を支払った", "10万円を支払った"),
    ("ＳＮＳに書き込む", "SNSに書き込む"),
    ("ﾎﾞﾄｯｸｽ注射", "ボトックス注射"),
    ("３ヶ月後に再診", "3カ月後に再診"),
    ("レーザ脱毛", "レーザー脱毛"),
    ("問合せ窓口", "問い合わせ窓口"),
    ("見積りと違う", "見積もりと違う"),
    ("申込みをした", "申し込みをした"),
    ("きれいにならない", "綺麗にならない"),
    ("顔が腫れた", "顔が腫れました"),
]

COMPOUNDS = [  # (compound, part): a query for the part should find a document with the compound
    ("二重瞼", "瞼"),
    ("二重瞼", "二重"),
    ("ヒアルロン酸注射", "ヒアルロン酸"),
    ("ヒアルロン酸注射", "注射"),
    ("ボツリヌストキシン注射", "注射"),
    ("ボツリヌストキシン注射", "ボツリヌス"),
    ("脂肪吸引", "吸引"),
    ("色素沈着", "色素"),
]


def probe_ok(tokens, a, b):
    return set(tokens(a)) == set(tokens(b))


def part_ok(tokens, compound, part):
    return set(tokens(part)) <= set(tokens(compound))


# --- corpus: 400 narratives of 5 sentences, built from fragments with a fixed seed --------------

PROCEDURES = (
    "{二重瞼}の埋没法 {二重瞼}の切開法 ヒアルロン酸注射 ボツリヌストキシン注射 ボトックス "
    "レーザー脱毛 脂肪吸引 豊胸 シミ治療"
).split()
SYMPTOMS = "腫れ 腫脹 内出血 左右差 しこり 熱傷 色素沈着 感染 凹凸 {引きつれ}".split()
PARTS = "目元 まぶた 頬 額 唇 腹部 太もも 胸 脇 眉間".split()
BEHAVIOURS = (
    "{すべて}の費用の返金を求める 毎日電話をかけてくる SNSに書き込むと言っている "
    "弁護士に相談したと言っている 返金を求めて来院した 施術のやり直しを要求している"
).split()
VARIANTS = {  # a {slot} of these names takes either spelling
    "二重瞼": ["二重瞼", "二重まぶた"],
    "引きつれ": ["引きつれ", "引き攣れ"],
    "すべて": ["すべて", "全て"],
    "受付": ["受付", "受け付け"],
}
FIRST = "{month}月{day}日に当院で{proc}を受けた{age}代の{sex}性です。"
SENTENCES = [
    "施術後{n}日ほどで{part}に{symptom}が出現しました。",
    "{symptom}と{symptom2}について{受付}に電話があり、医師が診察しました。",
    "患者は{behaviour}。",
    "{behaviour}ため、対応に苦慮しています。",
    "費用は{amount}万円で、施術前に{説明}で説明していました。",
    "他院で{proc}を受けた既往があることが後から分かりました。",
    "{part}の{symptom}は経過観察とし、{n}週間後に再診の予定です。",
    "{受付}の対応が悪かったとして、{すべて}の記録の開示を求められました。",
    "{symptom}は{n}か月で軽快しましたが、{part}の{symptom2}が残っています。",
    "本人は{proc}の結果に納得しておらず、{behaviour}。",
]


def corpus(documents=400, seed=20240409):
    rng = random.Random(seed)

    def fill(template):
        slots = {
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "age": rng.choice(range(20, 70, 10)),
            "sex": rng.choice("男女"),
            "n": rng.randint(2, 14),
            "part": rng.choice(PARTS),
            "symptom": rng.choice(SYMPTOMS),
            "symptom2": rng.choice(SYMPTOMS),
            "proc": rng.choice(PROCEDURES),
            "behaviour": rng.choice(BEHAVIOURS),
            "amount": rng.choice(["10", "１０", "25", "３５", "48"]),
            "説明": rng.choice(["書面", "口頭"]),
        }
        text = template.format(**slots, **{k: "{" + k + "}" for k in VARIANTS})
        return text.format(**{k: rng.choice(v) for k, v in VARIANTS.items()})

    return [
        "".join([fill(FIRST)] + [fill(t) for t in rng.sample(SENTENCES, 4)])
        for _ in range(documents)
    ]


# --- run ---------------------------------------------------------------------------------------


def measure(name, docs, repeat, nfkc=False):
    start = time.perf_counter()
    try:
        description, analyse = ADAPTERS[name]()
    except (ImportError, PackageNotFoundError) as error:
        return {
            "name": name,
            "skipped": f"not installed ({error}); .venv/bin/pip install {INSTALL[name]}",
        }
    tokens = (lambda text: analyse(unicodedata.normalize("NFKC", text))) if nfkc else analyse
    tokens("施術後に腫れが出ました。")
    load = time.perf_counter() - start

    count = sum(len(tokens(d)) for d in docs)  # warm-up pass, and the token count
    best = min(_timed(tokens, docs) for _ in range(repeat))
    return {
        "name": name,
        "description": description,
        "tokens": tokens,
        "load": load,
        "tokens/s": count / best,
        "docs/s": len(docs) / best,
        "probes": [probe_ok(tokens, a, b) for a, b in PROBES],
        "parts": [part_ok(tokens, c, p) for c, p in COMPOUNDS],
    }


def _timed(tokens, docs):
    start = time.perf_counter()
    for d in docs:
        tokens(d)
    return time.perf_counter() - start


def _mark(ok):
    return "yes" if ok else "NO"


def _pad(text, width):
    """`text` padded to `width` terminal columns (CJK characters take two)."""
    return text + " " * (width - sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes, best one reported")
    parser.add_argument("--nfkc", action="store_true", help="NFKC-normalise text before analysis")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print tokens of failed checks"
    )
    args = parser.parse_args()

    docs = corpus()
    sentences = sum(d.count("。") for d in docs)
    print(
        f"corpus: {len(docs)} documents, {sentences} sentences, {sum(map(len, docs))} characters"
        + (", NFKC applied before analysis" if args.nfkc else "")
        + "\n"
    )

    results = [measure(name, docs, args.repeat, args.nfkc) for name in ADAPTERS]
    ran = [r for r in results if "skipped" not in r]
    for r in results:
        if "skipped" in r:
            print(f"skipped {r['name']}: {r['skipped']}")

    print(
        f"{'analyser':<10}{'load s':>8}{'tokens/s':>11}{'docs/s':>9}{'probes':>9}{'parts':>8}  version"
    )
    for r in ran:
        print(
            f"{r['name']:<10}{r['load']:>8.2f}{r['tokens/s']:>11,.0f}{r['docs/s']:>9,.0f}"
            f"{sum(r['probes']):>6}/{len(PROBES):<2}{sum(r['parts']):>5}/{len(COMPOUNDS):<2}"
            f"  {r['description']}"
        )

    header = "".join(f"{r['name']:>9}" for r in ran)
    print(f"\n{_pad('probe pair: same normalised tokens?', 64)}{header}")
    for i, (a, b) in enumerate(PROBES):
        print(_pad(f"{a} ~ {b}", 64) + "".join(f"{_mark(r['probes'][i]):>9}" for r in ran))

    print(f"\n{_pad('compound, part: does a query for the part find it?', 64)}{header}")
    for i, (c, p) in enumerate(COMPOUNDS):
        print(_pad(f"{c}, {p}", 64) + "".join(f"{_mark(r['parts'][i]):>9}" for r in ran))

    if args.verbose:
        print("\ntokens of failed checks:")
        for r in ran:
            failed = [pair for pair, ok in zip(PROBES, r["probes"], strict=True) if not ok]
            failed += [pair for pair, ok in zip(COMPOUNDS, r["parts"], strict=True) if not ok]
            for text in dict.fromkeys(t for pair in failed for t in pair):
                print(f"  {r['name']:<8} {text}: {' '.join(r['tokens'](text))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
