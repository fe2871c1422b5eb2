"""Removes what could identify a patient from free text before it reaches any search index.

`scrub(text, names=...)` replaces with PLACEHOLDER, in the NFKC-normalised text:

* phone numbers: 10 or 11 digits starting with 0 (or +81, with or without the "(0)"), in groups of
  two or more digits separated by up to three of - ‐ ‑ – — − ー ｰ － . ・ spaces and parentheses,
  full-width or not (0120-123-456, 090ー1234ー5678, (03)1234.5678, +81 90 1234 5678);
* e-mail addresses, with @ ＠, " at ", (at), アットマーク, " dot " or ドット, in any case; and
  SNS handles (@hanako_0312: after an @, a word with a letter in it);
* postal codes: 〒 or 郵便番号 and 7 digits, or 3 digits, a dash and 4 digits (not followed by a
  unit, so that 500-1000cc survives);
* addresses: a house number (1-2-3, 一丁目2番3号, 12番地の4, 3丁目) preceded by a town written
  after a municipality (…市, 区, 町, 村, 郡), with the prefecture: 東京都港区六本木1-2-3;
* birth dates, 西暦 or 和暦 (明治 大正 昭和 平成 令和, M T S H R; 年月日, slashes, dots, dashes;
  元年; kanji numerals), when written as one: after 生年月日, 誕生日, DOB…, or before 生まれ, 生.
  Other dates (procedures, visits) are kept: reviewers need them;
* the patient's names given in `names` (the name and its reading, as stored): each whole, in
  either order, with or without a space or ・ between the parts, in kanji and in hiragana and
  katakana (whichever the reading was stored in) and in romaji derived from the reading
  (Hepburn, and the spellings people use: Satou Satoo Satoh Sato Satō, Shinichi Sinichi,
  Honma Homma, any case). A part of a name is removed on its own when it is long enough not to
  be an ordinary word (two kanji, three kana, three letters); a shorter one only next to the
  other part or before an honorific (さん, 様, 君, ちゃん…). Old and new forms of common name
  kanji count as one (髙/高, 﨑/崎, 齋/斎, 邊/辺…), as do 々 and the repeated kanji.

What no pattern can catch, and reviewers must keep out of narratives themselves: a name that is
not registered with the case (a relative, a friend, the patient's employer), a nickname or a
misspelling, a romaji spelling outside the variants above, a name split by other words; an
address without a house number (港区六本木在住), or with only a building name; a phone number
written in kanji numerals or words (〇九〇…), or missing its area code (1234-5678); an e-mail
address without @, at or アットマーク; a birth date not marked as one (1985年4月12日 alone), or an
age; and anything identifying by its content (a rare occupation, a photo description).

Every pattern runs in time linear in the text: each one starts on a character that is rare in
free text, or scans a single character class, and every repetition is bounded, so no input can
make it backtrack for long (`bench/scrub.py` measures it on 1 MB of text and of adversarial input).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator

from .analysis import person_name_parts

PLACEHOLDER = "〔個人情報〕"

Span = tuple[int, int]

# --- the folded view --------------------------------------------------------------------------
# Names, e-mail addresses and birth dates are looked for in a view of the NFKC-normalised text in
# which every character stands for exactly one character of the text (so that a position in the
# view is a position in the text): ASCII letters in lower case, hiragana as katakana, old forms
# of name kanji as the common ones, 々 as the kanji it repeats. Kana in patterns on the view are
# therefore written in katakana.
_OLD_KANJI = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "齋": "斎", "齊": "斎", "斉": "斎", "邊": "辺", "邉": "辺",
    "澤": "沢", "嶋": "島", "嶌": "島", "濱": "浜", "濵": "浜", "櫻": "桜", "廣": "広", "德": "徳",
    "國": "国", "藏": "蔵", "實": "実", "惠": "恵", "眞": "真", "壽": "寿", "瀨": "瀬", "冨": "富",
    "栁": "柳", "桒": "桑", "槇": "槙", "榮": "栄", "當": "当", "與": "与", "萬": "万", "寳": "宝",
    "曽": "曾", "籠": "篭", "龍": "竜", "彌": "弥", "淺": "浅", "黑": "黒", "條": "条", "關": "関",
}  # fmt: skip
_FOLD = {
    **{c: c + 32 for c in range(ord("A"), ord("Z") + 1)},
    **{c: c + 0x60 for c in range(0x3041, 0x3097)},  # ぁ..ゖ → ァ..ヶ
    0x309D: 0x30FD, 0x309E: 0x30FE,  # ゝ ゞ → ヽ ヾ
    **{ord(old): ord(new) for old, new in _OLD_KANJI.items()},
}  # fmt: skip
_ITERATION = re.compile(r"(.)々")
# Digits of other scripts (٠١٢, ०१२ …) as ASCII, like NFKC does for full-width ones. Unicode has
# no decimal digit above U+1FFFF.
_DIGIT = {
    c: ord("0") + unicodedata.decimal(chr(c))
    for c in range(0x20000)
    if unicodedata.category(chr(c)) == "Nd" and not 0x30 <= c <= 0x39
}


def _fold(text: str) -> str:
    """The view of `text` that names, addresses and dates are looked for in."""
    return _ITERATION.sub(lambda m: m[1] * 2, text.translate(_FOLD))


# --- phone numbers and postal codes -----------------------------------------------------------
_DASHES = "\\-‐‑‒–—―−ー─━⁃"
# A run of digits and the separators people put between them: one character class, so linear.
# Shorter than 7 characters (most numbers in a narrative), it cannot hold a postal code.
_NUMBER_RUN = re.compile(rf"\+?[0-9][0-9{_DASHES}.・()\s]{{6,}}")
_DIGITS = re.compile(r"[0-9]+")
_DASH = re.compile(rf"[{_DASHES}]")
# After a number, a unit or a counter: an amount, a dose or a duration, not a postal code.
_UNIT = re.compile(
    r"\s?(?:(?:cc|ml|mg|mm|cm|kg|iu|g|l|u|%)(?![a-z])|単位|円|万|千|回|本|個|錠|日|時|分|秒|年|月"
    r"|週|歳|才|箇所|カ所|ヶ所|針|件|人|名|枚|倍|ショット|発|度|か月|カ月|ヶ月|ケ月|ミリ|センチ)",
    re.IGNORECASE,
)
_POSTAL_MARK = re.compile(r"(?:〒|郵便番号|郵便)[\s:]{0,2}$")


def _is_phone(digits: str, international: bool) -> bool:
    if international:  # +81 90…, +81 (0)90…: the national number without its 0
        national = digits[2:]
        national = national[1:] if national.startswith("0") else national
        return digits.startswith("81") and len(national) in (9, 10) and national[0] != "0"
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0"


def _numbers(view: str) -> Iterator[Span]:
    for run in _NUMBER_RUN.finditer(view):
        groups = [m.span() for m in _DIGITS.finditer(view, run.start(), run.end())]
        i = 0
        while i < len(groups):
            found = _phone(view, groups, i) or _postal(view, groups, i)
            if found:
                span, i = found
                yield span
            else:
                i += 1


def _phone(view: str, groups: list[Span], i: int) -> tuple[Span, int] | None:
    """The phone number starting at digit group i, and the index of the group after it."""
    start = groups[i][0]
    international = view[start - 1 : start] == "+"
    if not international and (groups[i][1] - start < 2 or view[start] != "0"):
        return None
    digits, last = "", None
    for j in range(i, min(i + 6, len(groups))):
        group = view[groups[j][0] : groups[j][1]]
        if j > i:
            # +81 (0)3 1234…: the "(0)" and an area code of one digit.
            area_code = international and j <= i + 2
            # Far apart, or a one-digit group (0.5 0.5 0.5 …): not one number.
            if groups[j][0] - groups[j - 1][1] > 3 or (len(group) < 2 and not area_code):
                break
        digits += group
        if len(digits) > 13:
            break
        if len(digits) >= 10 and _is_phone(digits, international):
            last = j
    if last is None:
        return None
    start -= international
    # (03)1234-5678: the area code's parentheses go with it; (090-1234-5678) keeps its own.
    start -= view[start - 1 : start] == "(" and view[groups[i][1] : groups[i][1] + 1] == ")"
    return (start, groups[last][1]), last + 1


def _postal(view: str, groups: list[Span], i: int) -> tuple[Span, int] | None:
    """The postal code starting at digit group i, and the index of the group after it."""
    start, end = groups[i]
    if end - start not in (3, 7):
        return None
    marked = _POSTAL_MARK.search(view, max(0, start - 8), start)
    if marked and end - start == 7:
        return (marked.start(), end), i + 1
    if end - start != 3 or i + 1 == len(groups) or groups[i + 1][1] - groups[i + 1][0] != 4:
        return None
    gap = view[end : groups[i + 1][0]]
    if (marked and len(gap) <= 2) or (
        _DASH.fullmatch(gap) and not _UNIT.match(view, groups[i + 1][1])
    ):
        return ((marked.start() if marked else start), groups[i + 1][1]), i + 2
    return None


# --- e-mail addresses and handles -------------------------------------------------------------
# The at-mark in its forms; a spelled-out "at" must stand alone.
_AT = re.compile(r"@|[(\[<]at[)\]>]|(?<![a-z0-9])at(?:\s?mark)?(?![a-z0-9])|アットマーク|アット")
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
# Every separator starts with a character that no label has, so a label never backtracks into it.
_DOMAIN = re.compile(rf"{_LABEL}(?:(?:\.|\s(?:dot|ドット)\s|[(\[]dot[)\]]|ドット){_LABEL}){{0,8}}")
_SPELLED_DOMAIN = re.compile(r"(?:\.|dot[)\]]?|ドット)\s?[a-z]{2,24}$")
_LETTER = re.compile(r"[a-z]")


def _emails(view: str) -> Iterator[Span]:
    for at in _AT.finditer(view):
        spelled = at[0] != "@"  # "at", "(at)", アットマーク: spaces around it are allowed
        left, right = at.start(), at.end()
        while spelled and left > at.start() - 3 and view[left - 1 : left] == " ":
            left -= 1
        while spelled and right < at.end() + 3 and view[right : right + 1] == " ":
            right += 1
        start = left
        while start > max(0, left - 64) and view[start - 1] in _LOCAL:
            start -= 1
        while start < left and view[start] in ".-":
            start += 1
        domain = _DOMAIN.match(view, right)
        if domain is None:
            continue
        if not spelled:
            # An address or a handle (@hanako_0312); "1cc@5000円" is a unit price.
            if _LETTER.search(domain[0]):
                yield (start, domain.end())
        elif start < left and _SPELLED_DOMAIN.search(domain[0]):
            yield (start, domain.end())


# --- addresses --------------------------------------------------------------------------------
_NUMERAL = "(?:[0-9]{1,5}|[一二三四五六七八九十〇]{1,4})"
# A house number: a number, then 丁目 / 番(地) / 号(室) maybe with a number, or a dash or の and a
# number; and a room: 1-2-3, 一丁目2番3号, 12番地の4, 3丁目, 1-2-3 405号室.
_HOUSE = re.compile(
    rf"(?<![0-9]){_NUMERAL}(?:(?:丁目|番地|番|号室|号){_NUMERAL}?|[{_DASHES}の]{_NUMERAL}){{1,5}}"
    r"(?:\s?[0-9]{1,5}号室)?"
)
# What a place name is written with (kanji, katakana, 々, ヶ); hiragana and punctuation end it.
_PLACE_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヵヶァ-ヺー]")
_MUNICIPALITY = re.compile(r".[都道府県市区町村郡]")


def _addresses(text: str) -> Iterator[Span]:
    """House numbers after a place name that has a prefecture or a municipality in it."""
    for house in _HOUSE.finditer(text):
        if _UNIT.match(text, house.end()):
            continue
        start = house.start()
        while start > max(0, house.start() - 24):
            char = text[start - 1]
            if _PLACE_CHAR.match(char) or (char == " " and text[start - 2 : start - 1] != " "):
                start -= 1
            else:
                break
        if _MUNICIPALITY.search(text, start, house.start()):
            while text[start] == " ":
                start += 1
            yield (start, house.end())


# --- birth dates ------------------------------------------------------------------------------
_KANJI_NUMBER = "[〇一二三四五六七八九十]{1,3}"
_ERA = "(?:明治|大正|昭和|平成|令和|(?<![a-z])[mtshr]\\.?)"
_YEAR = rf"(?:{_ERA}\s?(?:[0-9]{{1,2}}|元|{_KANJI_NUMBER})|(?<![0-9])[0-9]{{2,4}}|{_KANJI_NUMBER})"
_DAY = rf"(?:[0-9]{{1,2}}|{_KANJI_NUMBER})"  # or a month
_DATE = (
    rf"(?:{_YEAR}\s?(?:年(?:\s?\([^)\n]{{1,10}}\))?(?:\s?{_DAY}\s?月(?:\s?{_DAY}\s?日)?)?"
    rf"|[/.{_DASHES}]\s?{_DAY}\s?[/.{_DASHES}]\s?{_DAY}(?![0-9]))"
    rf"|(?<![0-9]){_DAY}\s?月\s?{_DAY}\s?日)"
)
_BIRTH_AFTER = re.compile(  # 生年月日: 1985年4月12日
    rf"(?:生年月日|誕生日|生マレ年|date of birth|birth\s?date|birthday|d\.?o\.?b\.?)"
    rf"[\s:ハガノ、=(]{{0,4}}(?P<date>{_DATE})"
)
# 昭和60年4月12日生まれ: found from the rare word after it, the date read just before it (a date
# is found from its digits, which are everywhere).
_BORN = re.compile(r"生マレ|生レ|ウマレ|誕生|生(?=[\s)、。,(]|$)")
_DATE_BEFORE_BORN = re.compile(rf"(?P<date>{_DATE})\s?[ニノ]?\s?$")


def _birth_dates(view: str) -> Iterator[Span]:
    for match in _BIRTH_AFTER.finditer(view):
        yield match.span("date")
    for born in _BORN.finditer(view):
        date = _DATE_BEFORE_BORN.search(view, max(0, born.start() - 48), born.start())
        if date:
            yield date.span("date")


# --- names ------------------------------------------------------------------------------------
_HONORIFIC = "(?:サン|様|サマ|氏|君|クン|チャン|殿)"
_NAME_SEPARATOR = r"[\s・,、.]{0,2}"
_NAME_SPLIT = re.compile(r"[\s・,、]+")
_KANA_ONLY = re.compile(r"[ァ-ヺー]+")
_LATIN_ONLY = re.compile(r"[a-z'’-]+")
_LATIN_WORD = re.compile(
    # No hyphen inside: Kuroki-san is the name and an honorific, not one word.
    r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff'’]*"
)
_O_ROW, _U_ROW = set("オコソトノホモヨロヲゴゾドボポョォ"), set("ウクスツヌフムユルグズヅブプュゥ")


def _person_name(part: str) -> list[tuple[str, str]]:
    # The dictionary may know a name only in its usual kanji (高橋, not 髙橋) or kana.
    return person_name_parts(part) or person_name_parts(_fold(part))


def _kana_pattern(kana: str) -> str:
    """A pattern for a katakana name that also takes its long vowel written ウ, オ or ー."""
    out = []
    for i, char in enumerate(kana):
        before = kana[i - 1] if i else ""
        if char in "ウオー" and before in _O_ROW:
            out.append("[ウオー]")
        elif char in "ウー" and before in _U_ROW:
            out.append("[ウー]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _row(kana: str, syllables: str) -> dict[str, str]:
    return dict(zip(kana, syllables.split(), strict=True))


_ROMAJI = {
    **_row("アイウエオ", "a i u e o"), **_row("カキクケコ", "ka ki ku ke ko"),
    **_row("ガギグゲゴ", "ga gi gu ge go"), **_row("サシスセソ", "sa shi su se so"),
    **_row("ザジズゼゾ", "za ji zu ze zo"), **_row("タチツテト", "ta chi tsu te to"),
    **_row("ダヂヅデド", "da ji zu de do"), **_row("ナニヌネノ", "na ni nu ne no"),
    **_row("ハヒフヘホ", "ha hi fu he ho"), **_row("バビブベボ", "ba bi bu be bo"),
    **_row("パピプペポ", "pa pi pu pe po"), **_row("マミムメモ", "ma mi mu me mo"),
    **_row("ヤユヨ", "ya yu yo"), **_row("ラリルレロ", "ra ri ru re ro"),
    **_row("ワヰヱヲン", "wa i e o n"), **_row("ヴヵヶヮ", "vu ka ke wa"),
    **_row("ァィゥェォ", "a i u e o"),
}  # fmt: skip
_SMALL_Y = _row("ャュョ", "a u o")
_SMALL_VOWEL = _row("ァィゥェォ", "a i u e o")


def romaji(kana: str) -> str:
    """Hepburn romaji of a name in hiragana or katakana: さとう はなこ → satou hanako,
    キョウコ → kyouko, シンイチ → shinichi, ハットリ → hattori, サトー → satoo, ティナ → tina.
    Long vowels are written out (ou, oo, uu): `_romaji_key` makes every spelling of them one."""
    syllables: list[str] = []  # a syllable, or "ー", "ッ", " "
    kana = kana.translate(_FOLD)
    i = 0
    while i < len(kana):
        char, after = kana[i], kana[i + 1 : i + 2]
        syllable = _ROMAJI.get(char)
        if syllable is None:
            syllables.append(char if char in "ーッ" else " ")
        elif after in _SMALL_Y and len(syllable) > 1 and syllable.endswith("i"):  # キャ シャ
            stem = syllable[:-1] if syllable in ("shi", "chi", "ji") else syllable[:-1] + "y"
            syllables.append(stem + _SMALL_Y[after])
            i += 1
        elif after in _SMALL_VOWEL and char not in _SMALL_VOWEL:  # ファ ティ ウィ シェ
            stem = "w" if char == "ウ" else syllable.rstrip("aiueo")
            syllables.append(stem + _SMALL_VOWEL[after])
            i += 1
        else:
            syllables.append(syllable)
        i += 1
    out = ""
    for k, syllable in enumerate(syllables):
        if syllable == "ー":  # the vowel again
            out += out[-1] if out[-1:] in ("a", "i", "u", "e", "o") else ""
        elif syllable == "ッ":  # the next consonant twice; っち is tchi
            following = next((s for s in syllables[k + 1 :] if s not in "ーッ"), " ")
            out += "t" if following.startswith("ch") else following[0].strip("aiueo ")
        else:
            out += syllable
    return " ".join(out.split())


_KEY_STEPS = (
    (re.compile(r"['’-]"), ""),
    (re.compile(r"[tc]ch"), "tty"),  # っち: tchi, cchi → tti
    (re.compile(r"ch"), "ty"),
    (re.compile(r"sh"), "sy"),
    (re.compile(r"jy?"), "zy"),
    (re.compile(r"(?<=[tsz])yi"), "i"),  # shi chi ji → si ti zi
    (re.compile(r"ts"), "t"),
    (re.compile(r"f"), "h"),
    (re.compile(r"m(?=[bmp])"), "n"),  # Homma, Sampei → honma, sanpei
    (re.compile(r"oh(?![aiueoy])"), "o"),  # Satoh, Ohno
    (re.compile(r"ou"), "o"),
    (re.compile(r"([aiueo])\1+"), r"\1"),  # Satoo, Yuuko, Niigata
)


def _romaji_key(word: str) -> str:
    """One spelling for the ways a Japanese name is written in Latin letters: Hepburn, kunrei,
    passport (oh), macrons, doubled or u-lengthened vowels, any case all give the same key."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    for pattern, replacement in _KEY_STEPS:
        word = pattern.sub(replacement, word)
    return word


class _Names:
    """Where the registered names of one case appear in a text, in any of their forms."""

    def __init__(self, names: Iterable[str]):
        written: list[list[str]] = []  # each name as its parts: kanji (or mixed) …
        kana: list[list[str]] = []  # … katakana (hiragana is folded into katakana) …
        latin: list[list[str]] = []  # … or Latin letters
        family_readings: set[str] = set()  # of a family name the dictionary reads alone
        for raw in names:
            name = unicodedata.normalize("NFKC", raw or "").strip()
            parts = [_fold(p) for p in _NAME_SPLIT.split(name) if p]
            if not parts:
                continue
            if _LATIN_ONLY.fullmatch("".join(parts)):
                latin.append(parts)
                continue
            # The dictionary splits a name written without a space, and reads its kanji.
            known = [_person_name(p) for p in _NAME_SPLIT.split(name) if p]
            if len(parts) == 1 and len(known[0]) > 1:
                parts = [_fold(surface) for surface, _ in known[0]]
            (kana if _KANA_ONLY.fullmatch("".join(parts)) else written).append(parts)
            if all(known):
                kana.append([_fold(reading) for part in known for _, reading in part])
            elif len(known) > 1 and known[0]:
                family_readings.add(_fold("".join(reading for _, reading in known[0])))
        # A reading stored without a space (ナカムラヒナ): cut after the family name's reading.
        families = {p[0] for p in kana if len(p) > 1} | family_readings
        for (whole,) in [p for p in kana if len(p) == 1]:
            kana.extend(
                [f, whole[len(f) :]] for f in families if whole.startswith(f) and whole != f
            )
        self.pattern = self._japanese(written, kana)
        self.latin = self._latin([*latin, *([romaji(p) for p in parts] for parts in kana)])

    @staticmethod
    def _japanese(written: list[list[str]], kana: list[list[str]]) -> re.Pattern | None:
        """One pattern for every name in kanji and kana: whole names first (either order, any
        mix of the scripts), then the parts long enough to be removed alone, then the short
        parts before an honorific."""
        forms = [
            *([(re.escape(p), len(p) >= 2) for p in parts] for parts in written),
            *([(_kana_pattern(p), len(p) >= 3) for p in parts] for parts in kana),
        ]
        whole, alone, short = set(), set(), set()
        families = [form[0][0] for form in forms if len(form) == 2]
        givens = [form[1][0] for form in forms if len(form) == 2]
        for family in families:
            for given in givens:
                whole.add(f"{family}{_NAME_SEPARATOR}{given}")
                whole.add(f"{given}{_NAME_SEPARATOR}{family}")
        for form in forms:
            if len(form) > 2:
                whole.add(_NAME_SEPARATOR.join(pattern for pattern, _ in form))
            for pattern, long_enough in form:
                (alone if long_enough else short).add(pattern)
        alternatives = [
            *sorted(whole, key=len, reverse=True),
            *sorted(alone, key=len, reverse=True),
            *(f"{p}(?={_HONORIFIC})" for p in sorted(short, key=len, reverse=True)),
        ]
        return re.compile("|".join(alternatives)) if alternatives else None

    @staticmethod
    def _latin(names: list[list[str]]) -> dict[str, bool]:
        """{romaji key: whether it may be removed alone}: every part, and each name whole
        written as one word (satohanako, hanakosato)."""
        keys: dict[str, bool] = {}
        for parts in names:
            parts = [p.replace(" ", "") for p in parts]
            for key in map(_romaji_key, parts):
                keys[key] = keys.get(key, False) or len(key) >= 3
            if len(parts) > 1:  # keyed whole: Kyoko+Ono and Kyohkoono meet across the seam
                keys[_romaji_key("".join(parts))] = True
                keys[_romaji_key("".join(reversed(parts)))] = True
        keys.pop("", None)
        return keys

    def spans(self, view: str) -> Iterator[Span]:
        if self.pattern is not None:
            yield from (match.span() for match in self.pattern.finditer(view))
        if self.latin:
            yield from self._latin_spans(view)

    def _latin_spans(self, view: str) -> Iterator[Span]:
        found = []  # (start, end, may go alone) of each word that is a name or a part of one
        keys: dict[str, str] = {}  # narratives repeat their words: key each one once
        for match in _LATIN_WORD.finditer(view):
            word = match[0]
            if len(word) <= 40:
                if word not in keys:
                    keys[word] = _romaji_key(word)
                if keys[word] in self.latin:
                    found.append((*match.span(), self.latin[keys[word]]))
        for k, (start, end, alone) in enumerate(found):
            # A short part (Ai, Yu) only next to another part of a name: "Ai Sato".
            before = k > 0 and start - found[k - 1][1] <= 3
            after = k + 1 < len(found) and found[k + 1][0] - end <= 3
            if alone or before or after:
                yield (start, end)


# --- scrub ------------------------------------------------------------------------------------


def _merged(spans: Iterable[Span]) -> list[Span]:
    result: list[list[int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end) for start, end in result]


def scrub(text: str, *, names: tuple[str, ...] = ()) -> str:
    """`text`, NFKC-normalised and with ASCII digits, with every phone number, e-mail address,
    postal code, address with a house number, birth date and form of the given names replaced
    by PLACEHOLDER. Linear in the length of the text (about 1 MB/s).

    `names` are the patient's name and its reading as stored (kanji, hiragana or katakana, with
    or without a space between family and given name). See the module's docstring for exactly
    what is caught and what cannot be.
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_DIGIT)
    view = _fold(text)
    spans = [
        *_emails(view),
        *_numbers(view),
        *_addresses(text),
        *_birth_dates(view),
        *_Names(names).spans(view),
    ]
    out, position = [], 0
    for start, end in _merged(spans):
        out.append(text[position:start])
        out.append(PLACEHOLDER)
        position = end
    out.append(text[position:])
    return "".join(out)
