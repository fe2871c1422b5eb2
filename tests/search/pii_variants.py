"""Personal data written the ways people in Japan write it, for the scrub's tests.

Every builder takes a `random.Random` (hypothesis's `st.randoms()` in property tests, a seeded
one in the index test) and returns a `Variant`: the text as written, the sentence it is written
in, and the pieces of it that must not survive. The spellings are written out here by hand, not
derived with the code under test.
"""

import random
import unicodedata
from dataclasses import dataclass

FULL_WIDTH = str.maketrans(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@.-+()",
    "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ＠．－＋（）",
)
KANJI_DIGITS = dict(enumerate("〇一二三四五六七八九"))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Variant:
    kind: str
    written: str  # the personal data as written
    sentence: str  # a sentence of a narrative that contains it
    secrets: tuple[str, ...]  # what must not be in the scrubbed sentence (compared after nfkc)
    digits: str = ""  # digits that must not survive in order in the scrubbed sentence


def _width(rng: random.Random, text: str) -> str:
    """Half-width, full-width, or a mix of the two, as an IME leaves it."""
    style = rng.choice(["half", "full", "mixed"])
    if style == "half":
        return text
    if style == "full":
        return text.translate(FULL_WIDTH)
    return "".join(c.translate(FULL_WIDTH) if rng.random() < 0.5 else c for c in text)


# --- phone numbers -----------------------------------------------------------------------------
PHONE_SEPARATORS = ["-", "‐", "‑", "–", "—", "−", "ー", "ｰ", "－", ".", " ", "　", "", " - ", "・"]


def phone(rng: random.Random) -> Variant:
    kind = rng.choice(["mobile", "tokyo", "osaka", "yokohama", "free", "ip"])
    prefix, sizes = {
        "mobile": (rng.choice(["070", "080", "090"]), (4, 4)),
        "tokyo": ("03", (4, 4)),
        "osaka": ("06", (4, 4)),
        "yokohama": ("045", (3, 4)),
        "free": ("0120", (3, 3)),
        "ip": ("050", (4, 4)),
    }[kind]
    groups = [prefix, *("".join(rng.choice("0123456789") for _ in range(n)) for n in sizes)]
    national = "".join(groups)[1:]
    separator = rng.choice(PHONE_SEPARATORS)
    form = rng.choice(["plain", "plain", "each", "area()", "middle()", "+81", "+81(0)", "(+81)"])
    if form == "each":  # a different dash at each gap, as when a number is copied in pieces
        written = groups[0] + rng.choice(PHONE_SEPARATORS) + groups[1]
        written += rng.choice(PHONE_SEPARATORS) + groups[2]
    elif form == "area()":
        written = f"({groups[0]}){groups[1]}{separator}{groups[2]}"
    elif form == "middle()":
        written = f"{groups[0]}({groups[1]}){groups[2]}"
    else:
        body = separator.join([groups[0][1:], *groups[1:]])
        written = {
            "plain": separator.join(groups),
            "+81": f"+81{rng.choice(['', ' ', '-'])}{body}",
            "+81(0)": f"+81 (0){body}",
            "(+81)": f"(+81){body}",
        }[form]
    written = _width(rng, written)
    sentence = rng.choice(
        [
            "患者さんの携帯は{}とのこと",
            "電話番号:{}",
            "TEL {} まで折り返しを希望",
            "（連絡先 {}）",
            "ご家族から{}に電話があった",
        ]
    ).format(written)
    return Variant("phone", written, sentence, (written,), digits=national)


# --- e-mail addresses --------------------------------------------------------------------------
LOCAL_WORDS = ["hanako", "h.sato", "sato_h", "yuko1985", "k-tanaka", "mi.sa.ki", "taro+clinic"]
DOMAINS = ["example.jp", "mail.example.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "gmail.com"]


def email(rng: random.Random) -> Variant:
    local = rng.choice(LOCAL_WORDS) + rng.choice(["", str(rng.randint(0, 99))])
    labels = rng.choice(DOMAINS).split(".")
    at = rng.choice(
        ["@", "@", "＠", " at ", " AT ", "(at)", "[at]", "アットマーク", " あっとまーく "]
    )
    dot = "." if at in ("@", "＠") else rng.choice([".", ".", " dot ", "(dot)", "ドット"])
    written = f"{local}{at}{dot.join(labels)}"
    written = {"lower": written, "upper": written.upper(), "title": written.title()}[
        rng.choice(["lower", "upper", "title"])
    ]
    written = _width(rng, written)
    sentence = rng.choice(
        ["メールアドレスは{}です", "{} 宛に写真を送ったとのこと", "連絡先:{}", "返信は{}へ"]
    ).format(written)
    return Variant("email", written, sentence, (written, local, labels[0]))


# --- postal codes ------------------------------------------------------------------------------
DASHES = ["-", "‐", "−", "ー", "－", "–", "—"]


def postal(rng: random.Random) -> Variant:
    first = "".join(rng.choice("0123456789") for _ in range(3))
    last = "".join(rng.choice("0123456789") for _ in range(4))
    dash = rng.choice(DASHES)
    written = rng.choice(
        [
            f"〒{first}{dash}{last}",
            f"〒 {first}{dash}{last}",
            f"〒{first}{last}",
            f"郵便番号{first}{dash}{last}",
            f"郵便番号 {first}{last}",
            f"{first}{dash}{last}",
        ]
    )
    written = _width(rng, written)
    sentence = rng.choice(["送付先は{}、", "({})", "書類を{}の住所へ送付", "患者住所 {}"])
    return Variant("postal", written, sentence.format(written), (written,), digits=first + last)


# --- addresses ---------------------------------------------------------------------------------
# (prefecture, municipality, town)
PLACES = [
    ("東京都", "港区", "六本木"),
    ("東京都", "世田谷区", "三軒茶屋"),
    ("東京都", "町田市", "原町田"),
    ("大阪府", "大阪市北区", "梅田"),
    ("神奈川県", "横浜市青葉区", "青葉台"),
    ("北海道", "札幌市中央区", "大通西"),
    ("福岡県", "福岡市博多区", "博多駅前"),
    ("愛知県", "名古屋市中区", "栄"),
    ("京都府", "京都市左京区", "下鴨"),
    ("兵庫県", "神戸市中央区", "三宮町"),
    ("埼玉県", "川口市", "本町"),
    ("千葉県", "市川市", "八幡"),
    ("沖縄県", "那覇市", "久茂地"),
    ("長野県", "北佐久郡軽井沢町", "軽井沢"),
]


def _kanji_number(n: int) -> str:
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + (KANJI_DIGITS[ones] if ones else "")


def house_number(rng: random.Random) -> str:
    a, b, c = rng.randint(1, 9), rng.randint(1, 30), rng.randint(1, 40)
    dash = rng.choice(DASHES)
    return rng.choice(
        [
            f"{a}{dash}{b}{dash}{c}",
            f"{a}丁目{b}番{c}号",
            f"{_kanji_number(a)}丁目{b}番{c}号",
            f"{a}丁目{b}{dash}{c}",
            f"{b}番地",
            f"{b}番地の{c}",
            f"{a}丁目",
            f"{a}{dash}{b}{dash}{c}{dash}{rng.randint(101, 1205)}",
            f"{a}{dash}{b}{dash}{c} {rng.randint(101, 1205)}号室",
        ]
    )


def address(rng: random.Random) -> Variant:
    prefecture, municipality, town = rng.choice(PLACES)
    house = _width(rng, house_number(rng))
    space = rng.choice(["", "", " ", "　"])
    parts = [prefecture, municipality, town] if rng.random() < 0.7 else [municipality, town]
    written = space.join(parts) + space + house
    sentence = rng.choice(["住所は{}とのこと", "現住所:{}", "{}在住の方", "書類を{}へ郵送"])
    return Variant("address", written, sentence.format(written), (written, f"{town}{house}"))


# --- birth dates -------------------------------------------------------------------------------
ERAS = [("昭和", "S", 1926), ("平成", "H", 1989), ("令和", "R", 2019)]


def _date(rng: random.Random, year: int, month: int, day: int, *, wareki: bool) -> str:
    """A date as written in a Japanese document, 西暦 or 和暦."""
    if not wareki:
        return rng.choice(
            [
                f"{year}年{month}月{day}日",
                f"{year}/{month}/{day}",
                f"{year}/{month:02}/{day:02}",
                f"{year}.{month}.{day}",
                f"{year}-{month:02}-{day:02}",
                f"{year} 年 {month} 月 {day} 日",
            ]
        )
    era, letter, first = [e for e in ERAS if e[2] <= year][-1]
    n = year - first + 1
    number = "元" if n == 1 and rng.random() < 0.5 else str(n)
    letter = rng.choice([letter, letter.lower()])
    return rng.choice(
        [
            f"{era}{number}年{month}月{day}日",
            f"{era}{_kanji_number(n)}年{_kanji_number(month)}月{_kanji_number(day)}日",
            f"{letter}{n}.{month}.{day}",
            f"{letter}{n}/{month}/{day}",
            f"{letter}{n:02}.{month:02}.{day:02}",
            f"{year}年({era}{number}年){month}月{day}日",
        ]
    )


def birth_date(rng: random.Random) -> Variant:
    year, month, day = rng.randint(1930, 2008), rng.randint(1, 12), rng.randint(1, 28)
    written = _width(rng, _date(rng, year, month, day, wareki=rng.random() < 0.5))
    sentence = rng.choice(
        [
            "生年月日:{}",
            "生年月日は{}",
            "{}生まれ",
            "{}生まれの女性",
            "({}生)",
            "{}に生まれた",
            "DOB {}",
            "誕生日:{}",
        ]
    ).format(written)
    return Variant("birth date", written, sentence, (written,), digits=str(year))


def procedure_date(rng: random.Random) -> str:
    """A date reviewers need (a procedure, a visit): it must survive the scrub."""
    year, month, day = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return _width(rng, _date(rng, year, month, day, wareki=rng.random() < 0.5))


# --- names -------------------------------------------------------------------------------------
# (kanji, hiragana reading, katakana with the long vowel as ー, romaji spellings people use)
FAMILY = [
    ("佐藤", "さとう", "サトー", ["Sato", "Satou", "Satoh", "Satō", "Satoo"]),
    ("鈴木", "すずき", "スズキ", ["Suzuki"]),
    ("高橋", "たかはし", "タカハシ", ["Takahashi", "Takahasi"]),
    ("伊藤", "いとう", "イトー", ["Ito", "Itou", "Itoh", "Itō"]),
    ("渡辺", "わたなべ", "ワタナベ", ["Watanabe"]),
    ("佐々木", "ささき", "ササキ", ["Sasaki"]),
    ("大野", "おおの", "オーノ", ["Ono", "Ohno", "Oono", "Ōno"]),
    ("河野", "こうの", "コーノ", ["Kono", "Kouno", "Kohno"]),
    ("本間", "ほんま", "ホンマ", ["Honma", "Homma"]),
    ("服部", "はっとり", "ハットリ", ["Hattori"]),
    ("伊集院", "いじゅういん", "イジューイン", ["Ijuin", "Ijuuin", "Ijūin"]),
    ("斎藤", "さいとう", "サイトー", ["Saito", "Saitou", "Saitoh"]),
    ("松本", "まつもと", "マツモト", ["Matsumoto", "Matumoto"]),
    ("藤田", "ふじた", "フジタ", ["Fujita", "Huzita"]),
]
GIVEN = [
    ("花子", "はなこ", "ハナコ", ["Hanako"]),
    ("優子", "ゆうこ", "ユーコ", ["Yuko", "Yuuko", "Yūko"]),
    ("京子", "きょうこ", "キョーコ", ["Kyoko", "Kyouko", "Kyohko"]),
    ("翔太", "しょうた", "ショータ", ["Shota", "Shouta", "Syota", "Shohta"]),
    ("健一", "けんいち", "ケンイチ", ["Kenichi", "Ken'ichi"]),
    ("純一", "じゅんいち", "ジュンイチ", ["Junichi", "Jun'ichi", "Zyunichi"]),
    ("千秋", "ちあき", "チアキ", ["Chiaki", "Tiaki"]),
    ("翼", "つばさ", "ツバサ", ["Tsubasa", "Tubasa"]),
    ("真一", "しんいち", "シンイチ", ["Shinichi", "Shin'ichi", "Sinichi"]),
    ("愛", "あい", "アイ", ["Ai"]),
    ("恵", "めぐみ", "メグミ", ["Megumi"]),
    ("美咲", "みさき", "ミサキ", ["Misaki"]),
]


def katakana(hiragana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in hiragana)


@dataclass(frozen=True)
class Patient:
    name: str  # as stored with the case
    name_kana: str
    family: tuple
    given: tuple


def patient(rng: random.Random) -> Patient:
    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
    name = family[0] + rng.choice(["", " ", "　"]) + given[0]
    kana = family[1] + rng.choice(["", " ", "　"]) + given[1]
    return Patient(name, kana if rng.random() < 0.5 else katakana(kana), family, given)


def name(rng: random.Random, person: Patient) -> Variant:
    """The patient's name as a member might write it: any script for each part, either order."""
    script = rng.choice(["kanji", "hiragana", "katakana", "katakana long", "romaji", "mixed"])

    def part(entry, script=script):
        kanji, hiragana, long, spellings = entry
        if script == "mixed":
            script = rng.choice(["kanji", "hiragana", "katakana"])
        return {
            "kanji": kanji,
            "hiragana": hiragana,
            "katakana": katakana(hiragana),
            "katakana long": long,
            "romaji": rng.choice(spellings),
        }[script]

    family, given = part(person.family), part(person.given)
    if script == "romaji":
        case = rng.choice([str.upper, str.lower, str.title, str])
        family, given = case(family), case(given)
        separator = rng.choice([" ", "", ", ", "・", "-"])
    else:
        separator = rng.choice(["", " ", "　", "・"])
    first, second = (family, given) if rng.random() < 0.5 else (given, family)
    written = f"{first}{separator}{second}"
    sentence = rng.choice(
        ["{}さんから電話があった", "患者 {} 様", "{}は返金を求めている", "担当者が{}に説明した"]
    ).format(written)
    return Variant("name", written, sentence, (written, family, given))


BUILDERS = {
    "phone": phone,
    "email": email,
    "postal": postal,
    "address": address,
    "birth date": birth_date,
}

# Sentences of a narrative that reviewers need as they are: procedures, dates, amounts, doses.
MEDICAL = [
    "{date}に二重瞼の埋没法を施術した",
    "{date}にヒアルロン酸{n}ccを注入し、費用は{n}万円だった",
    "ボトックス{n}0単位を額と眉間に注射した",
    "脂肪吸引は{n}00-1{n}00ccの予定で、{date}に実施した",
    "術後{n}週間で左右差と腫れが出現し、{date}の再診で経過観察とした",
    "返金として{n}00,000円を求めている",
    "{date}の診察で脂肪の生着を確認した",
    "抗生剤を{n}日分処方し、{n}か月後に再評価する予定",
    "施術日:{date}、担当医は形成外科専門医",
    "リドカイン0.5%を0.5ccずつ{n}か所に局所麻酔した",
]


def medical_sentence(rng: random.Random) -> str:
    return rng.choice(MEDICAL).format(date=procedure_date(rng), n=rng.randint(1, 9))
