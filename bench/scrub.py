"""How fast search/scrub.py removes personal data, on ordinary text and on text built to be slow.

    .venv/bin/python bench/scrub.py [--size 1000000] [--repeat 3]

For each input of --size characters it prints the best of --repeat runs of
scrub(text, names=(name, reading)) in seconds and characters per second, and how many
placeholders the scrub put in. The inputs:

* narrative: complaint narratives generated deterministically (random.Random(--seed)) from
  Japanese fragments: procedures with dates, doses, amounts and durations, and in one sentence out
  of four the patient's personal data written as members write it (phone numbers with various
  dashes, e-mail addresses, postal codes, addresses, birth dates, the name in kanji, kana and
  romaji);
* adversarial: one character or a short string repeated, each aimed at a pattern's worst case:
  word characters without an @ (what made the old e-mail pattern quadratic), digits, dashes,
  digit-dash runs, at-marks, spelled-out "at", dots, house numbers, dates, katakana prolonged marks.

A scrub linear in its input shows about the same characters per second at every --size; run with
--size 100000 and with the default to compare. The first call, which loads the Sudachi
dictionary (used to split a name stored without a space), is not timed.
"""

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from search.scrub import PLACEHOLDER, scrub  # noqa: E402  (after the path is set)

NAMES = ("佐藤 花子", "さとう はなこ")

MEDICAL = [
    "{date}に二重瞼の埋没法を施術した",
    "{date}にヒアルロン酸{n}ccを注入し、費用は{n}万円だった",
    "ボトックス{n}0単位を額と眉間に注射した",
    "脂肪吸引は{n}00-1{n}00ccの予定で実施した",
    "術後{n}週間で左右差と腫れが出現し、{date}の再診で経過観察とした",
    "返金として{n}00,000円を求めている",
    "{date}の診察で脂肪の生着を確認した",
    "抗生剤を{n}日分処方し、{n}か月後に再評価する予定",
    "患者さんはSNSに書き込むと話しており、弁護士に相談したとのこと",
    "施術前に腫れと内出血について書面で説明していた",
]
PERSONAL = [
    "患者さんの携帯は090-{a}-{b}とのこと",
    "電話番号:０３ー{a}ー{b}",
    "TEL 080.{a}.{b} まで折り返しを希望",
    "メールアドレスはhanako{n}@example.jp",
    "連絡先 hanako at example dot jp",
    "〒150-00{n}{n} 東京都渋谷区神宮前{n}-{n}-{n}在住",
    "大阪府大阪市北区梅田一丁目{n}番{n}号",
    "生年月日:昭和{n}0年{n}月{n}日",
    "1985年{n}月{n}日生まれ",
    "佐藤花子さんから電話があった",
    "サトウ ハナコ様、Hanako SATOH",
]
DATES = ["2026年3月{n}日", "令和8年{n}月{n}日", "2026/3/{n}", "R8.3.{n}"]


def narrative(size: int, seed: int) -> str:
    rng = random.Random(seed)
    sentences, length = [], 0
    while length < size:
        n = rng.randint(1, 9)
        if rng.random() < 0.25:
            template = rng.choice(PERSONAL)
        else:
            template = rng.choice(MEDICAL)
        sentence = template.format(
            date=rng.choice(DATES).format(n=n),
            n=n,
            a=f"{rng.randint(0, 9999):04}",
            b=f"{rng.randint(0, 9999):04}",
        )
        sentences.append(sentence + "。")
        length += len(sentence) + 1
    return "".join(sentences)[:size]


def inputs(size: int, seed: int) -> dict[str, str]:
    def repeated(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    rng = random.Random(seed)
    return {
        "narrative": narrative(size, seed),
        "word characters (a)": repeated("a"),
        "mixed word characters": "".join(rng.choice("ab_19あ漢") for _ in range(size)),
        "digits": repeated("1"),
        "zeros": repeated("0"),
        "dashes": repeated("-"),
        "prolonged marks (ー)": repeated("ー"),
        "digit-dash (0-)": repeated("0-"),
        "phone-like (090-)": repeated("090-"),
        "at-marks (a@)": repeated("a@"),
        "spelled at (a at )": repeated("a at "),
        "dots (a.)": repeated("a."),
        "house numbers (港区1-)": repeated("港区1-"),
        "dates (1年)": repeated("1年"),
        "birth words (生年月日)": repeated("生年月日"),
    }


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (CJK characters take two)."""
    return text + " " * (width - sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per input")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best one reported")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()

    scrub("佐藤花子 090-1234-5678", names=NAMES)  # loads the dictionary: not timed
    print(f"scrub(text, names={NAMES}) on {args.size:,} characters, best of {args.repeat}\n")
    print(f"{_pad('input', 28)}{'seconds':>9}{'chars/s':>13}{'placeholders':>14}")
    for label, text in inputs(args.size, args.seed).items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = scrub(text, names=NAMES)
            best = min(best, time.perf_counter() - start)
        print(
            f"{_pad(label, 28)}{best:>9.2f}{len(text) / best:>13,.0f}{out.count(PLACEHOLDER):>14,}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
