"""Demo casework data for development (``manage.py generate_demo_cases``, ``setup_demo``).

Creates, once, the supporting records a demonstration needs (facilities, doctors, policies,
member and staff logins) and then, on every run, ``count`` new cases reported by members and
walked through the state machine by the right people, always through ``casework.services``.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same cases (states,
procedures, narratives, people; amounts too, as far as the policies' aggregates leave room).
Where things sit in time depends on the day of the run: policy periods are counted from the one
in force today (``casework.rules``), claims fall in the last three years, and every step is
taken with the clock set to the moment it happened (``time_machine``, from the dev extra: the
demo is a development tool), so that whatever a transition stamps, it stamps itself, and ages,
service levels and the monthly chart look like a live system.

This module is for demonstration data only: it sets known passwords and moves the clock;
nothing else in the project may do either.
"""

import functools
import logging
import math
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import time_machine
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from casework.choices import Specialty

from . import roles, rules
from .choices import (
    CaseState,
    ComplaintType,
    Course,
    FacilityRole,
    OpinionConclusion,
    ProcedureField,
    ReferralKind,
    Society,
    Urgency,
)
from .models import (
    Case,
    Doctor,
    Facility,
    MemberProfile,
    Policy,
    Procedure,
    ReviewerProfile,
)
from .reference_data import roles_sync_all
from .rules import format_yen
from .selectors import policy_for_claim
from .service_levels import TOKYO, is_business_day
from .services import (
    assessment_compute,
    case_report,
    case_transition,
    opinion_save,
    patient_consent_record,
)

S = CaseState
CT = ComplaintType
PF = ProcedureField

DEMO_PASSWORD = "amrm-demo"  # development only; printed by the command on purpose

# Claims are spread over the last three years or so: always within the last four policy periods.
WINDOW = timedelta(days=1065)
MAN = 10_000  # 万円
# A mid-term joiner applied this long after its first period began (cover then starts on the
# 1st of a later month, by rules.coverage_start).
MIDTERM_APPLIED_AFTER = timedelta(days=130)


def policy_period(offset: int, *, today: date) -> tuple[date, date]:
    """The policy period `offset` years from the one in force on `today` (0: in force, -1: the
    one before): every period ends on the 30 November that rules.policy_end names, and starts
    the day after the previous one ended."""
    ends_on = rules.policy_end(today)
    ends_on = ends_on.replace(year=ends_on.year + offset)
    return ends_on.replace(year=ends_on.year - 1) + timedelta(days=1), ends_on


# --- supporting data (fixed: never drawn from the seed, so reruns find it again) ---------------


@dataclass(frozen=True)
class _FacilitySpec:
    key: int
    name: str
    corporation: str
    is_main: bool
    prefecture: str
    fields: frozenset
    cover: dict  # policy period (0: in force today, -1: the one before …) → payout limit
    weight: int  # how many cases it tends to report
    midterm: bool = False  # its first period began mid-term


_ALL_FIELDS = frozenset(PF.values)
_DERM = frozenset({PF.COSMETIC_DERMATOLOGY, PF.COSMETIC_INTERNAL, PF.OTHER})

FACILITIES = (
    # The demo member's clinic (member-1): insured every period, today's included.
    _FacilitySpec(1, "桜花美容クリニック 銀座本院", "医療法人社団 桜花会", True, "東京都", _ALL_FIELDS, {-3: 10_000_000, -2: 10_000_000, -1: 10_000_000, 0: 20_000_000}, 5),
    # A branch that joined two periods ago: its older claims are not covered.
    _FacilitySpec(2, "桜花美容クリニック 新宿院", "医療法人社団 桜花会", False, "東京都", _ALL_FIELDS, {-1: 5_000_000, 0: 5_000_000}, 3),
    _FacilitySpec(3, "みどり皮膚科・美容皮膚科クリニック", "医療法人 翠明会", True, "大阪府", _DERM, {-3: 2_000_000, -2: 2_000_000, -1: 2_000_000, 0: 2_000_000}, 3),
    # A branch whose cover lapsed at the end of the last period; one of its doctors holds a
    # 施術医コース policy.
    _FacilitySpec(4, "みどり皮膚科 梅田院", "医療法人 翠明会", False, "大阪府", _DERM, {-3: 1_000_000, -2: 1_000_000, -1: 1_000_000}, 2),
    _FacilitySpec(5, "ひばり形成外科クリニック 横浜本院", "医療法人社団 ひばり会", True, "神奈川県", _ALL_FIELDS, {-3: 5_000_000, -2: 5_000_000, -1: 10_000_000, 0: 10_000_000}, 4),
    _FacilitySpec(6, "ひばり形成外科クリニック 川崎院", "医療法人社団 ひばり会", False, "神奈川県", _ALL_FIELDS, {-3: 2_000_000, -2: 2_000_000, -1: 5_000_000, 0: 5_000_000}, 2),
    # Did not renew for the last period, came back for this one: a gap year.
    _FacilitySpec(7, "こうさい美容外科 名古屋栄院", "医療法人 光彩会", True, "愛知県", _ALL_FIELDS, {-3: 20_000_000, -2: 20_000_000, 0: 20_000_000}, 4),
    # 個人開設 (no corporation); joined mid-term last period, its doctor insured herself before.
    _FacilitySpec(8, "白石スキンクリニック", "", True, "福岡県", _DERM, {-1: 1_000_000, 0: 1_000_000}, 1, midterm=True),
)  # fmt: skip


@dataclass(frozen=True)
class _DoctorSpec:
    name: str
    kana: str
    societies: tuple
    workplaces: tuple  # facility keys
    cover: dict = field(default_factory=dict)  # 施術医コース: policy period → payout limit


DOCTORS = (
    _DoctorSpec("桐生 雅人", "きりゅう まさと", (Society.JSAPS, Society.JSPRS), (1, 2)),
    _DoctorSpec("早瀬 美奈子", "はやせ みなこ", (Society.JSAD, Society.JDA), (1,)),
    _DoctorSpec("真壁 亮", "まかべ りょう", (Society.JSAPS,), (2,)),
    _DoctorSpec("三國 沙織", "みくに さおり", (Society.JDA, Society.JSAD), (3, 4)),
    _DoctorSpec("青柳 智也", "あおやぎ ともや", (Society.JDA,), (4,), {0: 2_000_000}),
    _DoctorSpec("篠原 恵理", "しのはら えり", (Society.JSAD, Society.JAAM), (3,)),
    _DoctorSpec("鷹野 修一", "たかの しゅういち", (Society.JSPRS, Society.JSAPS), (5, 6)),
    _DoctorSpec("柚木 陽子", "ゆずき ようこ", (Society.JSPRS,), (5,)),
    _DoctorSpec("成瀬 拓海", "なるせ たくみ", (Society.JSAPS, Society.JAAM), (6,)),
    _DoctorSpec("御園 航", "みその わたる", (Society.JSAPS, Society.JSPRS), (7,)),
    _DoctorSpec("槙村 玲奈", "まきむら れいな", (Society.JSAD,), (7,)),
    _DoctorSpec("白石 奈央", "しらいし なお", (Society.JDA, Society.JSAD, Society.JAAM), (8,), {-2: 1_000_000, -1: 1_000_000, 0: 1_000_000}),
)  # fmt: skip


@dataclass(frozen=True)
class _StaffSpec:
    username: str
    group: str
    last_name: str
    first_name: str
    specialty: str | None = None  # a ReviewerProfile when set
    conflicts: tuple = ()  # facility keys the reviewer may not review


STAFF = (
    _StaffSpec("support1", roles.SUPPORT, "日向", "さやか"),
    _StaffSpec("support2", roles.SUPPORT, "早乙女", "健太"),
    _StaffSpec("reviewer-derm1", roles.REVIEWERS, "森川", "多恵子", Specialty.DERMATOLOGY),
    _StaffSpec("reviewer-derm2", roles.REVIEWERS, "千早", "公一", Specialty.DERMATOLOGY, (3, 4)),
    _StaffSpec("reviewer-plastic1", roles.REVIEWERS, "小此木", "拓", Specialty.PLASTIC_SURGERY),
    _StaffSpec("reviewer-plastic2", roles.REVIEWERS, "水無瀬", "玲子", Specialty.PLASTIC_SURGERY, (5, 6)),
    _StaffSpec("reviewer-law1", roles.REVIEWERS, "九条", "誠", Specialty.LAW),
    _StaffSpec("reviewer-law2", roles.REVIEWERS, "榊", "真理", Specialty.LAW, (1, 2)),
    _StaffSpec("chair", roles.CHAIR, "東雲", "隆"),
    _StaffSpec("assessor", roles.ASSESSORS, "葛城", "直哉"),
    # Two people of the insurer: whoever asks for a payment never approves it.
    _StaffSpec("insurer", roles.INSURER, "立花", "美和"),
    _StaffSpec("insurer2", roles.INSURER, "朝霧", "達也"),
)  # fmt: skip

SUPPORT_USERNAMES = ("support1", "support2")


def member_username(facility_key: int) -> str:
    return f"member-{facility_key}"


def _policy_number(course: str, year: int, serial: int) -> str:
    # The DEMO- prefix keeps demo policies apart from anything entered by hand.
    return f"DEMO-{'F' if course == Course.FACILITY else 'D'}-{year}-{serial:02d}"


# --- narrative fragments -----------------------------------------------------------------------


class _Complication(NamedTuple):
    short: str  # as the reviewers name it
    text: str  # the member's sentence; {n} = days after the procedure
    kind: str  # ComplaintType
    responses: tuple  # what the clinic did, as a predicate: 当院では…。
    techniques: tuple | None = None  # indexes of the techniques it follows; None: any


@dataclass(frozen=True)
class _Story:
    weight: int
    techniques: tuple
    complications: tuple
    onset: tuple  # days from the procedure to the first symptoms
    fee: tuple  # the procedure's fee, 万円
    damages: tuple  # a plausible assessed loss, 万円


_GENERIC_RESPONSES = (
    "患者さんの話を傾聴し、今後の治療方針を改めて説明した",
    "院長が面談し、経過を丁寧に説明した",
)
C = _Complication
_OBSERVE = "経過とともに改善する見込みであることを説明し、経過観察としている"

STORIES = {
    "二重瞼": _Story(
        10,
        ("埋没法（2点留め）による二重形成", "埋没法（4点留め）による二重形成", "全切開法による二重形成", "部分切開法による二重形成"),
        (
            C("二重幅の左右差", "施術後{n}日目頃から「左右の二重幅が明らかに違う」との訴えがあった。", CT.RESULT, ("腫れが落ち着いた時点での無償の再施術を提案した", "左右差は腫れの引き方の違いによるものと説明し、経過観察としている")),
            C("腫れの遷延", "施術後{n}日が経過しても腫れが引かず、「目が開けにくい」と訴えている。", CT.COMPLICATION, (_OBSERVE, "抗炎症薬を処方し、週1回の診察を続けている")),
            C("糸の露出", "施術後{n}日目頃、まぶたの裏側に糸が露出し、ゴロゴロ感と充血を訴えて来院した。", CT.COMPLICATION, ("露出した糸を抜去し、点眼薬を処方した", "抜糸のうえ、3か月後の再施術を無償で提案した"), (0, 1)),
            C("希望と異なる二重幅", "施術後{n}日目頃から「希望より幅が広く、眠そうに見える」との不満を述べられている。", CT.RESULT, ("術前のシミュレーション記録を示して説明したが、納得されていない", "修正手術を提案したが、当院での再施術は拒否されている")),
        ),
        (3, 60), (8, 40), (30, 300),
    ),
    "隆鼻": _Story(
        4,
        ("I型シリコンプロテーゼによる隆鼻術", "L型シリコンプロテーゼによる隆鼻術", "鼻尖形成と隆鼻術の同時手術"),
        (
            C("プロテーゼの偏位", "施術後{n}日目頃から「鼻筋が曲がってきた」との訴えがあり、プロテーゼの偏位が疑われる。", CT.COMPLICATION, ("プロテーゼの入れ替えを無償で提案した", "経過観察とし、3か月後の修正を提案した")),
            C("術後感染", "施術後{n}日目に鼻背の発赤・熱感・痛みが出現し、術後感染と診断した。", CT.COMPLICATION, ("抗菌薬を投与し、プロテーゼの抜去を提案した", "形成外科専門医のいる病院へ紹介した")),
            C("鼻先の皮膚の菲薄化", "施術後{n}日目頃から鼻先の皮膚が薄くなり赤みが出てきたと訴えている。", CT.COMPLICATION, ("プロテーゼの抜去を提案した", "形成外科専門医のいる病院へ紹介した"), (1, 2)),
            C("不自然な仕上がり", "施術後{n}日目頃から「鼻が高すぎて不自然」との不満を述べられている。", CT.RESULT, ("より低いプロテーゼへの入れ替えを提案した", "術前のデザイン記録を示して説明したが、納得されていない")),
        ),
        (7, 120), (30, 90), (100, 800),
    ),
    "豊胸": _Story(
        3,
        ("シリコンバッグによる豊胸術", "脂肪注入による豊胸術", "ヒアルロン酸注入による豊胸"),
        (
            C("被膜拘縮", "施術後{n}日目頃から左胸の硬さと痛みを訴えており、被膜拘縮が疑われる。", CT.COMPLICATION, ("マッサージと内服で経過をみているが、改善しなければバッグの入れ替えが必要と説明した", "バッグの抜去・入れ替えを提案したが、費用負担をめぐって話がまとまっていない"), (0,)),
            C("乳房の左右差", "施術後{n}日目頃から「左右の大きさと形が違う」との訴えがあった。", CT.RESULT, ("修正手術を提案したが、費用負担をめぐって話がまとまっていない", _OBSERVE)),
            C("しこり", "施術後{n}日目頃に胸のしこりに気づき、乳がん検診で指摘されたと不安を訴えている。", CT.COMPLICATION, ("超音波検査を行い、乳腺外科の受診を勧めた", "しこりの摘出を提案した"), (1, 2)),
            C("術後感染", "施術後{n}日目に発熱と乳房の腫れがあり、術後感染と診断した。", CT.COMPLICATION, ("抗菌薬の投与と洗浄を行い、バッグ抜去の可能性を説明した", "入院設備のある病院へ紹介した")),
        ),
        (14, 300), (80, 250), (200, 1500),
    ),
    "脂肪吸引": _Story(
        6,
        ("腹部の脂肪吸引", "太ももの脂肪吸引", "二の腕の脂肪吸引", "頬・あご下の脂肪吸引"),
        (
            C("皮膚の凹凸", "施術後{n}日目頃から吸引部位の皮膚の凹凸が目立つとの訴えがあった。", CT.RESULT, ("凹凸に対して脂肪注入による修正を提案した", _OBSERVE)),
            C("術後感染", "施術後{n}日目に吸引部位の発赤と排膿があり、術後感染と診断した。", CT.COMPLICATION, ("抗菌薬を投与し、切開排膿を行った", "入院設備のある病院へ紹介した")),
            C("しびれと痛みの持続", "施術後{n}日が経過しても吸引部位のしびれと痛みが続いていると訴えている。", CT.COMPLICATION, ("圧迫着の着用を改めて指導し、定期的な診察を続けている", _OBSERVE)),
            C("効果への不満", "施術後{n}日目頃から「ほとんど細くなっていない」との不満を述べられている。", CT.RESULT, ("術前後の写真と吸引量の記録を示して説明した", "むくみが引くまでに3〜6か月かかることを改めて説明した")),
        ),
        (7, 120), (40, 200), (150, 1500),
    ),
    "リフトアップ手術": _Story(
        4,
        ("溶ける糸によるスレッドリフト", "フェイスリフト（SMAS法）", "こめかみリフト"),
        (
            C("引きつれとくぼみ", "施術後{n}日目頃から頬の引きつれとくぼみが目立つとの訴えがあった。", CT.RESULT, ("時間の経過で改善が見込まれることを説明した", "マッサージの方法を指導し、経過観察としている")),
            C("糸の露出", "施術後{n}日目頃、こめかみ付近から糸の先端が露出し、痛みを訴えて来院した。", CT.COMPLICATION, ("露出した糸を抜去し、経過観察としている",), (0,)),
            C("顔面神経麻痺の疑い", "施術後{n}日目頃から口角が下がり、「うまく笑えない」と訴えている。", CT.COMPLICATION, ("神経内科の受診を勧め、経過を確認している", "ビタミン剤を処方し、経過観察としている"), (1, 2)),
        ),
        (3, 90), (30, 150), (80, 600),
    ),
    "シミ治療": _Story(
        5,
        ("Qスイッチルビーレーザーによるシミ治療", "ピコレーザーによる老人性色素斑の治療", "レーザートーニングとトラネキサム酸内服の併用治療"),
        (
            C("炎症後色素沈着", "施術後{n}日目頃から照射部位が以前より濃く茶色くなったと訴えている。", CT.COMPLICATION, ("炎症後色素沈着は数か月で改善する見込みであることを説明した", "美白外用剤を処方し、経過観察としている")),
            C("白斑", "施術後{n}日目頃から照射部位が白く抜けてしまったとの訴えがあった。", CT.COMPLICATION, ("照射を中止し、皮膚科専門医の診察を勧めた",)),
            C("効果への不満", "施術後{n}日目頃から「シミが全く薄くならない」との不満を述べられている。", CT.RESULT, ("遮光の徹底を指導し、無償で経過を診ることを伝えた", "効果には個人差があることを改めて説明した")),
        ),
        (3, 60), (2, 15), (30, 200),
    ),
    "美肌・肌質改善": _Story(
        3,
        ("ダーマペンによる肌質改善治療", "水光注射", "フラクショナルレーザーによる肌質改善治療"),
        (
            C("赤みとニキビの悪化", "施術後{n}日目頃から顔全体の赤みとニキビの悪化を訴えている。", CT.COMPLICATION, ("抗炎症の外用剤を処方した", "皮膚科専門医の診察を受けるよう勧めた")),
            C("点状の痕", "施術後{n}日目頃から細かい点状の痕が残っていると訴えている。", CT.COMPLICATION, (_OBSERVE,)),
        ),
        (1, 30), (2, 10), (30, 150),
    ),
    "レーザー脱毛": _Story(
        9,
        ("ワキの医療レーザー脱毛（5回コースの3回目）", "VIOの医療レーザー脱毛", "顔の医療レーザー脱毛", "脚全体の医療レーザー脱毛"),
        (
            C("熱傷", "照射当日の夜から照射部位に水疱を伴う熱傷が生じたと訴えている。", CT.COMPLICATION, ("ステロイド外用剤を処方し、熱傷の治療を続けている", "照射出力の記録を確認し、皮膚科専門医の診察を勧めた")),
            C("色素沈着", "施術後{n}日目頃から照射部位に線状の色素沈着が出てきたとの訴えがあった。", CT.COMPLICATION, ("残りの照射を中止し、経過観察としている", "美白外用剤を処方した")),
            C("毛嚢炎", "施術後{n}日目頃から照射部位に毛嚢炎が多発したと訴えている。", CT.COMPLICATION, ("抗菌外用剤を処方した",)),
            C("硬毛化", "施術後{n}日目頃から「かえって毛が濃くなった」との不満を述べられている。", CT.RESULT, ("硬毛化について説明し、照射条件を変えての追加照射を提案した",), (2, 3)),
        ),
        (1, 30), (5, 40), (30, 300),
    ),
    "たるみ改善": _Story(
        4,
        ("HIFU（高密度焦点式超音波）によるたるみ治療", "高周波（RF）によるたるみ治療"),
        (
            C("熱傷", "施術後{n}日目頃から頬に線状の熱傷痕が残っていると訴えている。", CT.COMPLICATION, ("熱傷の治療を行い、照射記録を確認した",)),
            C("しびれ（神経障害の疑い）", "施術後{n}日目頃から下あごのしびれと違和感が続いていると訴えている。", CT.COMPLICATION, ("ビタミン剤を処方し、経過観察としている",), (0,)),
            C("効果への不満", "施術後{n}日目頃から「効果が感じられない」との不満を述べられている。", CT.RESULT, ("効果には個人差があることを改めて説明した",)),
        ),
        (1, 60), (5, 30), (30, 300),
    ),
    "光治療": _Story(
        2,
        ("IPL（光治療）によるシミ・くすみの治療", "フォトフェイシャル"),
        (
            C("熱傷", "照射の翌日から頬に水疱を伴う熱傷が生じたと訴えている。", CT.COMPLICATION, ("熱傷の治療を行い、遮光を指導した",)),
            C("色素沈着", "施術後{n}日目頃から照射部位に色素沈着が出てきたとの訴えがあった。", CT.COMPLICATION, ("美白外用剤を処方し、経過観察としている",)),
        ),
        (1, 20), (2, 8), (30, 150),
    ),
    "レーザー治療": _Story(
        3,
        ("炭酸ガスレーザーによるほくろ除去", "ピコレーザーによる肝斑の治療", "ニキビ痕へのフラクショナルレーザー"),
        (
            C("陥凹した痕", "施術後{n}日目頃から除去した痕がへこんで残っていると訴えている。", CT.COMPLICATION, ("経過観察とし、改善しない場合の治療方針を説明した",), (0,)),
            C("肝斑の悪化", "施術後{n}日目頃から肝斑がかえって濃くなったとの訴えがあった。", CT.COMPLICATION, ("照射を中止し、トラネキサム酸の内服に切り替えた",), (1,)),
            C("赤みと色素沈着", "施術後{n}日が経過しても赤みと色素沈着が続いていると訴えている。", CT.COMPLICATION, ("外用剤を処方し、照射を中止した",)),
        ),
        (1, 45), (2, 15), (30, 250),
    ),
    "ピーリング": _Story(
        2,
        ("グリコール酸によるケミカルピーリング", "サリチル酸マクロゴールピーリング"),
        (
            C("化学熱傷", "施術直後からヒリヒリ感が強く、翌日にはかさぶたを伴う化学熱傷となったと訴えている。", CT.COMPLICATION, ("ステロイド外用剤を処方した",)),
            C("赤みの持続", "施術後{n}日が経過しても赤みが引かないと訴えている。", CT.COMPLICATION, ("保湿と遮光を指導し、経過観察としている",)),
        ),
        (1, 14), (1, 3), (30, 100),
    ),
    "ヒアルロン酸注射": _Story(
        10,
        ("ほうれい線へのヒアルロン酸注入", "鼻根部へのヒアルロン酸注入", "涙袋形成のためのヒアルロン酸注入", "唇へのヒアルロン酸注入", "あごへのヒアルロン酸注入"),
        (
            C("血流障害", "注入直後から注入部位の皮膚が白くなり、翌日には紫色に変色した。血流障害が疑われる。", CT.COMPLICATION, ("ヒアルロニダーゼを注入し、連日経過を確認している", "ヒアルロニダーゼを注入したうえで、形成外科専門医のいる病院へ紹介した"), (0, 1, 4)),
            C("しこり", "施術後{n}日目頃から注入部位にしこりを触れると訴えている。", CT.COMPLICATION, ("ヒアルロニダーゼによる溶解を提案した",)),
            C("腫れの持続", "施術後{n}日が経過しても注入部位の腫れが引かないと訴えている。", CT.COMPLICATION, ("抗菌薬とステロイドを処方し、経過観察としている", "ヒアルロニダーゼによる溶解を提案した")),
            C("チンダル現象", "施術後{n}日目頃から注入部位が青白く透けて見えるとの不満を述べられている。", CT.RESULT, ("ヒアルロニダーゼによる溶解を提案した",), (2,)),
        ),
        (1, 60), (5, 30), (50, 800),
    ),
    "ボツリヌストキシン注射": _Story(
        7,
        ("額・眉間へのボツリヌストキシン注射", "エラ（咬筋）へのボツリヌストキシン注射", "目尻のしわへのボツリヌストキシン注射"),
        (
            C("眼瞼下垂", "施術後{n}日目頃から上まぶたが下がり、「目が開けにくい」と訴えている。", CT.COMPLICATION, ("効果は3〜4か月で消失する見込みであることを説明し、経過観察としている", "眼瞼下垂に対して点眼薬を処方した"), (0,)),
            C("表情の左右差", "施術後{n}日目頃から笑ったときの表情に左右差が出たとの訴えがあった。", CT.RESULT, ("左右差を整えるための追加注射を提案した",), (0, 2)),
            C("噛みにくさ", "施術後{n}日目頃から「物が噛みにくい」と訴えている。", CT.COMPLICATION, ("効果は3〜4か月で消失する見込みであることを説明し、経過観察としている",), (1,)),
            C("効果への不満", "施術後{n}日目頃から「全く効いていない」との不満を述べられている。", CT.RESULT, ("効果が出るまで2週間ほどかかることを改めて説明した", "追加注射を提案した")),
        ),
        (3, 21), (2, 10), (30, 200),
    ),
    "デトックス": _Story(
        1,
        ("腸内洗浄と点滴を組み合わせたデトックスプログラム",),
        (C("腹痛と下痢", "施術当日の夜から腹痛と下痢が続き、仕事を休んだと訴えている。", CT.COMPLICATION, ("内科の受診を勧め、経過を確認している",)),),
        (0, 7), (1, 5), (30, 100),
    ),
    "点滴治療": _Story(
        2,
        ("高濃度ビタミンC点滴", "グルタチオン点滴", "ビタミンB群の注射"),
        (
            C("血管外漏出", "点滴中に刺入部が腫れ、その後も内出血と痛みが続いていると訴えている。", CT.COMPLICATION, ("冷却と経過観察を行っている",), (0, 1)),
            C("迷走神経反射による転倒", "施術中に気分不良と一時的な意識消失があり、転倒して顔を打撲した。", CT.COMPLICATION, ("院長が謝罪し、整形外科の受診を勧めた",)),
        ),
        (0, 14), (1, 5), (30, 120),
    ),
    "その他（美容外科）": _Story(
        1,
        ("あごへのシリコンプロテーゼ挿入", "眼瞼下垂の手術"),
        (C("仕上がりへの不満", "施術後{n}日目頃から「顔のバランスが不自然になった」との不満を述べられている。", CT.RESULT, ("修正手術を提案した",)),),
        (14, 90), (30, 80), (50, 500),
    ),
    "その他（美容皮膚科）": _Story(
        1,
        ("医療アートメイク（眉）", "医療アートメイク（アイライン）"),
        (
            C("左右非対称", "施術後{n}日目頃から「形が左右で違う」との不満を述べられている。", CT.RESULT, ("無償のリタッチを提案した",)),
            C("色の変化", "施術後{n}日目頃から色が赤茶色に変わってきたと訴えている。", CT.COMPLICATION, ("レーザーによる除去を提案した",)),
        ),
        (7, 60), (5, 15), (30, 150),
    ),
    "その他（美容内科）": _Story(
        1,
        ("GLP-1受容体作動薬によるメディカルダイエット",),
        (C("消化器症状", "服用開始後{n}日目頃から強い吐き気と便秘が続き、仕事を休んだと訴えている。", CT.COMPLICATION, ("処方を中止し、内科の受診を勧めた",)),),
        (3, 30), (2, 8), (30, 120),
    ),
    "その他": _Story(
        1,
        ("AGA治療薬の処方",),
        (C("体調不良", "服用開始後{n}日目頃から倦怠感と動悸が続いていると訴えている。", CT.COMPLICATION, ("処方を中止し、内科の受診を勧めた",)),),
        (7, 60), (1, 5), (30, 100),
    ),
}  # fmt: skip

BEHAVIOURS = {
    CT.REPEATED_CONTACT: (
        "その後、ほぼ毎日電話があり、1回の通話が1時間を超えることもある。",
        "営業時間外にも電話やメールが繰り返し届き、受付スタッフが疲弊している。",
        "予約なしで何度も来院され、待合室で長時間待たれることがある。",
    ),
    CT.ONLINE_POST: (
        "「SNSに経緯を書き込む」との発言があった。",
        "「口コミサイトに施術前後の写真付きで投稿する」と示唆されている。",
        "すでに地図アプリの口コミに低評価の書き込みがされている。",
    ),
    CT.REFUND: (
        "施術費用の全額返金を強く求められている。",
        "「返金しなければ消費生活センターに相談する」と言われている。",
    ),
    CT.LAWSUIT: (
        "「弁護士に相談している」との発言があった。",
        "患者さん側の弁護士から受任通知が届いた。",
        "「訴訟も辞さない」と言われている。",
    ),
    CT.STAFF: (
        "カウンセリング担当スタッフの説明が不十分だったとして、スタッフの対応にも不満を述べられている。",
        "受付スタッフの言葉遣いが失礼だったとの苦情もあった。",
    ),
}
SELF_HARM_REMARKS = (
    "「この顔ではもう生きていけない」との発言があり、強く心配している。",
    "電話口で「死にたい」と繰り返し話されていた。",
    "「もう消えてしまいたい」とのメッセージが届いた。",
)
CLOSINGS = (
    "今後の対応についてご相談したい。",
    "返金に応じるべきか判断に迷っており、助言をいただきたい。",
    "当院の説明・処置に問題がなかったか、第三者の意見を伺いたい。",
    "患者さんとの話し合いの進め方について助言をいただきたい。",
)
DEMANDS = (
    "他院での修正治療費（見積り{x}万円）の負担",
    "慰謝料{x}万円の支払い",
    "謝罪と今後の治療費の負担",
    "通院交通費と休業損害の補償",
    "無償での修正施術",
)

# Obviously fictitious: nobody is called 見本 花子.
PATIENT_FAMILY_NAMES = (
    ("見本", "みほん"), ("仮名", "かめい"), ("例示", "れいじ"), ("試験", "しけん"),
    ("架空", "かくう"), ("模擬", "もぎ"), ("検証", "けんしょう"), ("練習", "れんしゅう"),
)  # fmt: skip
PATIENT_GIVEN_NAMES = (
    ("花子", "はなこ"), ("桜", "さくら"), ("美咲", "みさき"), ("由美", "ゆみ"), ("愛", "あい"),
    ("結衣", "ゆい"), ("陽菜", "ひな"), ("真由", "まゆ"), ("恵", "めぐみ"), ("彩", "あや"),
    ("直子", "なおこ"), ("太郎", "たろう"), ("翔", "しょう"), ("健", "けん"),
)  # fmt: skip

MEDICAL_LIABLE = (
    "{short}は、施術手技または注入・照射条件の選択に起因する可能性が高い。",
    "{short}の初期症状に対する処置が遅れ、結果の重篤化につながったと考えられる。",
    "同意書に{short}のリスクについての記載がなく、説明が十分であったとは言い難い。",
    "施術記録上、{short}を避けるための標準的な配慮がなされた形跡が乏しい。",
)
MEDICAL_NOT_LIABLE = (
    "{short}は一定の頻度で生じうる既知の合併症であり、術前に説明がなされ同意書も取得されている。",
    "施術手技・術後管理ともに標準的であり、{short}について医学的に不適切な点は認められない。",
    "{short}は術後経過の範囲内と考えられ、時間の経過とともに改善が見込まれる。",
)
LAW_LIABLE = (
    "説明義務の履行を裏付ける記録が乏しく、訴訟となった場合に過失が認められる可能性が高い。",
    "術後対応の記録から、結果回避義務違反が認められる可能性がある。",
)
LAW_NOT_LIABLE = (
    "説明文書・同意書が整っており、法的責任が認められる可能性は低い。",
    "患者さんの主張する損害と施術との因果関係を認めることは困難である。",
)
UNDETERMINED = (
    "カルテの記載が不十分であり、現時点では判断を保留する。術中記録の追加提出を求めたい。",
    "術前後の写真が不鮮明で、現時点では判断を保留する。",
)
ADVICE = (
    "術前の写真撮影とシミュレーション内容の記録を徹底されたい。",
    "合併症が起きたときの対応手順を院内で共有されたい。",
    "患者さんとの連絡窓口を一本化し、やり取りを記録に残すことを勧める。",
    "",
)

NOTES = {
    "start_triage": ("", "会員に電話で初期ヒアリングを実施。", "経緯書を確認し、会員に今後の流れを説明。"),
    # Shown to the member on マイページ as the association's request: written to them.
    "request_info": ("施術記録、同意書、術前・術後の写真をご提出ください。", "カルテの写しと、患者さんとのやり取りの記録（メール・LINEの画面、電話のメモなど）をご提出ください。"),
    "provide_info": ("カルテの写し・同意書・写真を提出しました。", "患者さんとのやり取りの記録を提出しました。"),
    "start_hearing": ("患者さんの同意を得て、サポートが状況を聴取。",),
    "resolve": ("サポートの助言のもと会員と患者さんが話し合い、円満に解決。", "経過観察で症状が改善し、患者さんの了解を得た。", "無償の修正施術で合意し、円満に解決。"),
    "refer_to_review": ("審査会に付議。", "訴訟リスクを考慮し、審査会に付議。"),
    "mark_not_covered": ("クレーム申し出日が保険期間外のため補償対象外。対応方法の助言のみ行う。",),
    "start_assessment": ("",),
    "start_settlement": ("査定額を会員に通知し、示談交渉に入る。",),
    "go_to_court": ("患者さん側代理人が訴訟を提起。", "調停不成立により訴訟へ移行。"),
    "request_payment": ("示談書を締結。支払承認を依頼。", "和解が成立。支払承認を依頼。"),
    "approve_payment": ("支払を承認。",),
    "refer": ("会員に弁護士を紹介。", "会員に専門家を紹介し、以後の対応を引き継いだ。"),
    "close": ("対応完了。", "会員に結果を報告し、完了。"),
    "withdraw": ("会員より、患者さんと直接話し合い解決したため取り下げたいとの連絡。", "患者さんと連絡が取れなくなったため、会員の判断で取下げ。", ""),
}  # fmt: skip

# --- how cases travel --------------------------------------------------------------------------

# Days between a case's last event and today, for cases still open in each state.
IDLE_DAYS = {
    S.RECEIVED: (0.02, 2.5),
    S.TRIAGE: (0.1, 20),
    S.AWAITING_INFO: (1, 30),
    S.PATIENT_HEARING: (1, 30),
    S.UNDER_REVIEW: (2, 40),
    S.LIABLE: (1, 20),
    S.NOT_LIABLE: (1, 20),
    S.ASSESSMENT: (2, 30),
    S.SETTLEMENT: (5, 60),
    S.LITIGATION: (10, 200),
    S.PAYMENT_APPROVAL: (0.5, 10),
    S.PAID: (1, 30),
}

# Beyond one case of each state, the share of each state among the cases of a run.
STATE_WEIGHTS = {
    S.CLOSED: 18,
    S.RESOLVED: 9,
    S.RECEIVED: 4,
    S.TRIAGE: 6,
    S.AWAITING_INFO: 4,
    S.PATIENT_HEARING: 4,
    S.UNDER_REVIEW: 7,
    S.LIABLE: 2,
    S.NOT_LIABLE: 2,
    S.ASSESSMENT: 3,
    S.SETTLEMENT: 3,
    S.LITIGATION: 2,
    S.PAYMENT_APPROVAL: 2,
    S.PAID: 3,
    S.REFERRED: 3,
    S.NOT_COVERED: 5,
    S.WITHDRAWN: 5,
}

# Steps a member may take (else the case's support person takes them for the member).
_MEMBER_ACTIONS = {"provide_info", "consent", "withdraw"}


def _triage(rng: random.Random) -> list[str]:
    steps = ["start_triage"]
    if rng.random() < 0.25:
        steps += ["request_info", "provide_info"]
    return steps


def _review(rng: random.Random) -> list[str]:
    steps = _triage(rng)
    if rng.random() < 0.3:
        steps += ["consent", "start_hearing"]
    return steps + ["refer_to_review"]


def _decided(rng: random.Random, *, liable: bool) -> list[str]:
    decision = "decide_liable" if liable else "decide_not_liable"
    return _review(rng) + ["opinion:specialist", "opinion:second", decision]


def _settlement(rng: random.Random) -> list[str]:
    return _decided(rng, liable=True) + ["start_assessment", "assess", "start_settlement"]


def _payment_requested(rng: random.Random) -> list[str]:
    steps = _settlement(rng)
    if rng.random() < 0.2:
        steps.append("go_to_court")
    return steps + ["request_payment"]


def _resolved(rng: random.Random) -> list[str]:
    if rng.random() < 0.2:
        return _decided(rng, liable=False) + ["resolve"]
    steps = _triage(rng)
    if rng.random() < 0.6:
        steps += ["consent", "start_hearing"]
    return steps + ["resolve"]


def _not_covered(rng: random.Random) -> list[str]:
    return (["start_triage"] if rng.random() < 0.6 else []) + ["mark_not_covered"]


def _path(target: str, rng: random.Random) -> list[str]:
    """The actions that take a new case to `target`, with a realistic detour or two."""
    if target == S.RECEIVED:
        return []
    if target == S.TRIAGE:
        return _triage(rng)
    if target == S.AWAITING_INFO:
        return _triage(rng) + ["request_info"]
    if target == S.PATIENT_HEARING:
        return _triage(rng) + ["consent", "start_hearing"]
    if target == S.RESOLVED:
        return _resolved(rng)
    if target == S.UNDER_REVIEW:
        # From no opinion yet to both in (the chair's 判定待ち), so every role finds work.
        partial = rng.choice(
            [
                [],
                ["opinion:specialist"],
                ["opinion:second"],
                ["draft:specialist"],
                ["opinion:specialist", "opinion:second"],
            ]
        )
        return _review(rng) + partial
    if target == S.LIABLE:
        return _decided(rng, liable=True)
    if target == S.NOT_LIABLE:
        return _decided(rng, liable=False)
    if target == S.ASSESSMENT:
        assessed = ["assess"] if rng.random() < 0.5 else []
        return _decided(rng, liable=True) + ["start_assessment"] + assessed
    if target == S.SETTLEMENT:
        return _settlement(rng)
    if target == S.LITIGATION:
        return _settlement(rng) + ["go_to_court"]
    if target == S.PAYMENT_APPROVAL:
        return _payment_requested(rng)
    if target == S.PAID:
        return _payment_requested(rng) + ["approve_payment"]
    if target == S.REFERRED:
        return _decided(rng, liable=False) + ["refer"]
    if target == S.NOT_COVERED:
        return _not_covered(rng)
    if target == S.CLOSED:
        draw = rng.random()
        if draw < 0.35:
            steps = _payment_requested(rng) + ["approve_payment"]
        elif draw < 0.7:
            steps = _resolved(rng)
        elif draw < 0.82:
            steps = _decided(rng, liable=False) + ["refer"]
        else:
            steps = _not_covered(rng)
        return steps + ["close"]
    if target == S.WITHDRAWN:
        before = rng.choices(
            [
                S.RECEIVED,
                S.TRIAGE,
                S.AWAITING_INFO,
                S.PATIENT_HEARING,
                S.UNDER_REVIEW,
                S.NOT_LIABLE,
            ],
            weights=[3, 3, 2, 2, 2, 1],
        )[0]
        return _path(before, rng) + ["withdraw"]
    raise ValueError(f"unknown state {target!r}")


def _gap(action: str, rng: random.Random, *, urgent: bool, previous: str | None) -> timedelta:
    """How long after the previous event this one typically happens."""
    days = timedelta(days=1)
    hours = timedelta(hours=1)
    if action == "start_triage":
        if urgent:  # 自傷・希死念慮: within two hours, day or night
            return timedelta(minutes=rng.uniform(10, 100))
        return hours * (rng.uniform(0.3, 20) if rng.random() < 0.9 else rng.uniform(26, 80))
    if action == "request_payment" and previous == "go_to_court":
        return days * rng.uniform(120, 400)
    low, high, unit = {
        "mark_not_covered": (1, 72, hours),
        "request_info": (2, 96, hours),
        "provide_info": (1, 14, days),
        "consent": (1, 7, days),
        "start_hearing": (1, 48, hours),
        "resolve": (3, 40, days),
        "refer_to_review": (2, 21, days),
        "opinion": (4, 20, days),
        "draft": (2, 10, days),
        "decide_liable": (2, 14, days),
        "decide_not_liable": (2, 14, days),
        "start_assessment": (1, 7, days),
        "assess": (3, 21, days),
        "start_settlement": (1, 10, days),
        "go_to_court": (20, 90, days),
        "request_payment": (10, 60, days),
        "approve_payment": (3, 14, days),
        "refer": (2, 14, days),
        "close": (1, 21, days),
        "withdraw": (1, 30, days),
    }[action]
    return unit * rng.uniform(low, high)


# --- dates -------------------------------------------------------------------------------------

Interval = tuple[date, date]  # both ends inclusive


def _merged(intervals: list[Interval]) -> list[Interval]:
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1] + timedelta(days=1):
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def _clipped(intervals: list[Interval], low: date, high: date) -> list[Interval]:
    return [(max(s, low), min(e, high)) for s, e in intervals if s <= high and e >= low]


def _complement(intervals: list[Interval], low: date, high: date) -> list[Interval]:
    result, cursor = [], low
    for start, end in _clipped(_merged(intervals), low, high):
        if start > cursor:
            result.append((cursor, start - timedelta(days=1)))
        cursor = end + timedelta(days=1)
    if cursor <= high:
        result.append((cursor, high))
    return result


def _day_count(intervals: list[Interval]) -> int:
    return sum((end - start).days + 1 for start, end in intervals)


def _nth_day(intervals: list[Interval], n: int) -> date:
    for start, end in intervals:
        length = (end - start).days + 1
        if n < length:
            return start + timedelta(days=n)
        n -= length
    raise IndexError(n)


_business_day = functools.lru_cache(maxsize=4096)(is_business_day)


# When people act: the association's staff 9:00–19:00 on business days, clinics 8:00–22:00.
HOURS = {"office": (9, 19, True), "waking": (8, 22, False)}


def _in_hours(moment: datetime, hours: str) -> datetime:
    """The same moment, or the start of the next working period when it falls outside one."""
    local = moment.astimezone(TOKYO).replace(microsecond=0)
    if hours not in HOURS:
        return local
    start, end, business_only = HOURS[hours]

    def working(day: date) -> bool:
        return _business_day(day) if business_only else True

    day = local.date()
    if working(day) and start <= local.hour < end:
        return local
    if not (working(day) and local.hour < start):
        day += timedelta(days=1)
        while not working(day):
            day += timedelta(days=1)
    return datetime.combine(day, time(start, local.minute, local.second), tzinfo=TOKYO)


# --- plans -------------------------------------------------------------------------------------


@dataclass
class _Step:
    action: str  # a transition name, or consent / opinion / assess
    actor: str  # username
    gap: timedelta  # since the previous event
    note: str = ""
    options: dict = field(default_factory=dict)
    hours: str = "office"  # a key of HOURS, or "any"


@dataclass
class _Plan:
    target: str
    procedure: str
    facility_key: int
    doctor_name: str
    procedure_date: date
    claim_date: date
    received_at: datetime
    complaint_types: list
    narrative: str
    demands: str
    urgency: str
    patient: dict
    steps: list


@dataclass
class _Context:
    now: datetime
    facilities: dict  # key → Facility
    doctors: dict  # name → Doctor
    users: dict  # username → User
    procedures: dict  # name → Procedure
    reviewers: dict  # specialty → [username]
    conflicts: dict  # username → {facility pk}
    cover: dict  # (facility key, doctor name) → merged covered intervals


@dataclass(frozen=True)
class DemoCase:
    reference: str
    state: str
    procedure: str


@dataclass(frozen=True)
class DemoReport:
    """What one run did: the new cases in the order made, and the supporting records created."""

    seed: int
    cases: tuple[DemoCase, ...]
    facilities_created: int = 0
    doctors_created: int = 0
    policies_created: int = 0
    users_created: int = 0

    @property
    def by_state(self) -> dict[str, int]:
        """Number of new cases per state, in the state machine's order, zero counts left out."""
        counts = Counter(case.state for case in self.cases)
        return {state.value: counts[state.value] for state in CaseState if counts[state.value]}


def _targets(rng: random.Random, count: int) -> list[str]:
    """One case of every state when there is room for it, the rest shared out by STATE_WEIGHTS
    (largest remainder, so that the mix is steady), in a shuffled order."""
    targets = list(CaseState.values) if count >= len(CaseState) else []
    remaining, total = count - len(targets), sum(STATE_WEIGHTS.values())
    quotas = {state: remaining * weight / total for state, weight in STATE_WEIGHTS.items()}
    shares = {state: math.floor(quota) for state, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda state: shares[state] - quotas[state])
    for state in by_remainder[: remaining - sum(shares.values())]:
        shares[state] += 1
    for state, share in shares.items():
        targets += [str(state)] * share
    rng.shuffle(targets)
    return targets


def _self_harm_flags(rng: random.Random, count: int) -> list[bool]:
    """A few cases flag 自傷・希死念慮; at least two in any run of ten or more."""
    flags = [rng.random() < 0.04 for _ in range(count)]
    wanted = 0 if count < 10 else max(2, count // 30)
    unflagged = [i for i, flag in enumerate(flags) if not flag]
    for index in rng.sample(unflagged, max(0, min(wanted - sum(flags), len(unflagged)))):
        flags[index] = True
    return flags


def _man_yen(rng: random.Random, low: int, high: int) -> int:
    """Whole 万 between low and high 万円, log-uniform (small losses are commoner)."""
    return round(math.exp(rng.uniform(math.log(low), math.log(high)))) * MAN


def _plan(ctx: _Context, rng: random.Random, *, target: str, self_harm: bool) -> _Plan:
    # The path and the procedure come first, so that they depend on nothing but the seed.
    actions = _path(target, rng)
    procedure = rng.choices(list(STORIES), weights=[s.weight for s in STORIES.values()])[0]
    story = STORIES[procedure]
    prefers_cover = rng.random() < 0.9

    # What happened, in the member's words. Never the patient's name.
    complication = rng.choice(story.complications)
    short, kind = complication.short, complication.kind
    technique = story.techniques[
        rng.choice(complication.techniques or range(len(story.techniques)))
    ]
    onset = rng.randint(*story.onset)
    claim_delay = rng.randint(0, 20)
    behaviour_kinds = rng.sample(sorted(BEHAVIOURS), k=rng.choice([0, 1, 1, 2, 2, 3]))
    behaviours = [rng.choice(BEHAVIOURS[k]) for k in behaviour_kinds]
    if self_harm:
        behaviours.append(rng.choice(SELF_HARM_REMARKS))
    generic = rng.random() < 0.2
    response = rng.choice(_GENERIC_RESPONSES if generic else complication.responses)
    narrative = (
        f"{technique}を実施。{complication.text.format(n=max(onset, 1))}当院では{response}。"
        f"{''.join(behaviours)}{rng.choice(CLOSINGS)}"
    )
    kinds = {str(k) for k in (kind, *behaviour_kinds)} | (
        {CT.SELF_HARM.value} if self_harm else set()
    )
    complaint_types = [c for c in CT.values if c in kinds]
    fee = rng.randint(story.fee[0] * 10, story.fee[1] * 10) * 1_000
    demands = [rng.choice(DEMANDS).format(x=rng.randint(3, 60) * 5)]
    if CT.REFUND in kinds:
        demands.insert(0, f"施術費用（{format_yen(fee)}）の全額返金")
    urgent = self_harm or (CT.LAWSUIT in kinds and rng.random() < 0.3)
    family, family_kana = rng.choice(PATIENT_FAMILY_NAMES)
    given, given_kana = rng.choice(PATIENT_GIVEN_NAMES)
    patient = {
        "name": f"{family} {given}",
        "name_kana": f"{family_kana} {given_kana}",
        "phone": f"090-0000-{rng.randrange(10_000):04d}",
        "email": f"sample-{rng.randrange(10_000):04d}@example.com" if rng.random() < 0.3 else "",
        "age": rng.randint(19, 68),
    }

    support = rng.choice(SUPPORT_USERNAMES)
    steps, previous = [], None
    for action in actions:
        kind_of_step = action.split(":")[0]
        if action in _MEMBER_ACTIONS:
            actor = "member" if rng.random() < (0.5 if action == "consent" else 0.8) else support
        else:
            actor = {
                "decide_liable": "chair",
                "decide_not_liable": "chair",
                "start_assessment": "assessor",
                "assess": "assessor",
                "start_settlement": "assessor",
                "go_to_court": "insurer",
                "request_payment": "insurer",
                "approve_payment": "insurer2",
            }.get(action, support)
        note = rng.choice(NOTES.get(action, ("",)))
        gap = _gap(kind_of_step, rng, urgent=urgent, previous=previous)
        # Members write when they can; an urgent first response is owed day and night.
        if actor == "member":
            hours = "waking"
        elif action == "start_triage" and urgent:
            hours = "any"
        else:
            hours = "office"
        steps.append(_Step(action, actor, gap, note, hours=hours))
        previous = action
    duration = sum((s.gap for s in steps), timedelta())

    # When: the claim date must suit the path (covered for review, not for 補償対象外).
    if "refer_to_review" in actions:
        cover = "covered"
    elif "mark_not_covered" in actions:
        cover = "uncovered"
    else:
        cover = "covered?" if prefers_cover else "uncovered?"
    idle = IDLE_DAYS.get(target)
    lag = timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 7]))
    pick_draw, day_draw = rng.random(), rng.random()
    minutes_of_day = rng.randint(9 * 60, 21 * 60)
    facility_key, doctor_name, claim_date, window = _place(
        ctx,
        procedure_field=ctx.procedures[procedure].field,
        cover=cover,
        duration=duration,
        idle=idle,
        lag=lag,
        pick_draw=pick_draw,
        day_draw=day_draw,
    )
    earliest, latest = window
    received = datetime.combine(claim_date + lag, time(), tzinfo=TOKYO)
    received += timedelta(minutes=minutes_of_day)
    received = min(max(received, earliest), latest)

    # Who reviews, what they conclude, what the chair decides, what is paid.
    policy = policy_for_claim(
        facility=ctx.facilities[facility_key],
        doctor=ctx.doctors[doctor_name],
        claim_date=claim_date,
    )
    _detail(ctx, rng, steps, procedure, short, facility_key, kinds, policy)
    for step in steps:
        if step.actor == "member":
            step.actor = member_username(facility_key)

    return _Plan(
        target=target,
        procedure=procedure,
        facility_key=facility_key,
        doctor_name=doctor_name,
        procedure_date=claim_date - timedelta(days=onset + claim_delay),
        claim_date=claim_date,
        received_at=received,
        complaint_types=complaint_types,
        narrative=narrative,
        demands="、".join(demands),
        urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
        patient=patient,
        steps=steps,
    )


def _place(
    ctx: _Context,
    *,
    procedure_field: str,
    cover: str,
    duration: timedelta,
    idle: tuple | None,
    lag: timedelta,
    pick_draw: float,
    day_draw: float,
) -> tuple[int, str, date, tuple[datetime, datetime]]:
    """Choose the facility, the doctor and the claim date; return them with the window in
    which the report may be received."""
    now = ctx.now
    window_start = now.date() - WINDOW
    start = datetime.combine(window_start, time(9), tzinfo=TOKYO)
    if idle is None:  # an outcome: any time from the start of the window
        latest = now - duration - timedelta(hours=12)
        earliest = start
    else:  # still open: its last event a plausible while ago
        low, high = idle
        latest = now - duration - timedelta(days=low)
        earliest = now - duration - timedelta(days=high)
    latest = max(latest, start + timedelta(days=1))
    earliest = min(max(earliest, start), latest - timedelta(hours=1))
    today = now.date()

    pairs = [
        (spec.key, doctor.name, spec.weight)
        for spec in FACILITIES
        if procedure_field in spec.fields
        for doctor in DOCTORS
        if spec.key in doctor.workplaces
    ]
    wants = [cover.rstrip("?")]
    if cover.endswith("?"):  # a preference: the other way round will do
        wants.append("uncovered" if wants[0] == "covered" else "covered")
    for want in wants:
        for low_bound in (earliest, start):
            claim_low = max(low_bound.date() - lag, window_start)
            claim_high = min(latest.date() - lag, today)
            candidates = []
            for key, doctor_name, weight in pairs:
                covered = ctx.cover[key, doctor_name]
                if want == "covered":
                    days = _clipped(covered, claim_low, claim_high)
                else:
                    days = _complement(covered, claim_low, claim_high)
                if days:
                    share = sum(1 for k, _, _ in pairs if k == key)
                    candidates.append((key, doctor_name, weight / share, days))
            if candidates:
                total = sum(c[2] for c in candidates)
                point, chosen = pick_draw * total, candidates[-1]
                for candidate in candidates:
                    point -= candidate[2]
                    if point < 0:
                        chosen = candidate
                        break
                key, doctor_name, _, days = chosen
                # Outcomes lean towards recent months: the association has been growing.
                position = day_draw**0.7 if idle is None else day_draw
                claim = _nth_day(days, int(position * _day_count(days)))
                return key, doctor_name, claim, (low_bound, latest)
    raise RuntimeError(
        "デモ用の保険契約が変更されているため、条件に合うクレーム申し出日を選べません。"
    )


MIN_DAMAGES = 30 * MAN


def _affordable(policy: Policy, amounts: dict) -> dict:
    """The amounts, scaled down until the payout takes at most half of what the policy's
    aggregate has left (assessed cases reserve it until withdrawn, paid ones keep it), so that
    demo payouts stay well inside every aggregate and none is cut short by it."""
    budget = policy.aggregate_remaining() // 2

    def payout(figures: dict) -> int:
        return rules.calculate_payout(
            figures["damages"],
            policy.payout_limit,
            legal_costs=figures["legal_costs"],
            other_insurance_paid=figures["other_insurance_paid"],
            deductible=policy.deductible,
        ).total

    while payout(amounts) > budget and (amounts["damages"] > MIN_DAMAGES or amounts["legal_costs"]):
        amounts = {
            **amounts,
            "damages": max(amounts["damages"] * 3 // 4 // MAN * MAN, MIN_DAMAGES),
            "legal_costs": amounts["legal_costs"] // 2 // MAN * MAN,
        }
    return amounts


def _reviewer(ctx: _Context, rng: random.Random, specialty: str, facility_key: int, taken: set):
    facility_pk = ctx.facilities[facility_key].pk
    pool = [
        u
        for u in ctx.reviewers.get(specialty, [])
        if facility_pk not in ctx.conflicts[u] and u not in taken
    ]
    if not pool:
        raise RuntimeError(f"利害関係のない審査員（{Specialty(specialty).label}）がいません。")
    return rng.choice(pool)


def _finding(rng: random.Random, specialty: str, conclusion: str, short: str) -> str:
    if conclusion == OpinionConclusion.UNDETERMINED:
        return rng.choice(UNDETERMINED)
    if specialty == Specialty.LAW:
        return rng.choice(LAW_LIABLE if conclusion == OpinionConclusion.LIABLE else LAW_NOT_LIABLE)
    texts = MEDICAL_LIABLE if conclusion == OpinionConclusion.LIABLE else MEDICAL_NOT_LIABLE
    return rng.choice(texts).format(short=short)


def _detail(
    ctx: _Context,
    rng: random.Random,
    steps: list[_Step],
    procedure: str,
    short: str,
    facility_key: int,
    kinds: set[str],
    policy: Policy | None,
) -> None:
    """Fill in the options of the review, decision, assessment and referral steps."""
    actions = [s.action for s in steps]
    liable = "decide_liable" in actions
    required = ctx.procedures[procedure].required_specialty
    specialist_specialty = required or rng.choice(
        [Specialty.DERMATOLOGY, Specialty.PLASTIC_SURGERY]
    )
    others = [s for s in Specialty.values if s != specialist_specialty]
    second_specialty = Specialty.LAW if rng.random() < 0.6 else rng.choice(others)
    specialist = _reviewer(ctx, rng, specialist_specialty, facility_key, set())
    second = _reviewer(ctx, rng, second_specialty, facility_key, {specialist})
    expected = OpinionConclusion.LIABLE if liable else OpinionConclusion.NOT_LIABLE
    if "decide_not_liable" not in actions and not liable:  # still under review
        expected = rng.choice([OpinionConclusion.LIABLE, OpinionConclusion.NOT_LIABLE])
    dissenting = OpinionConclusion.NOT_LIABLE if liable else OpinionConclusion.LIABLE
    second_conclusion = rng.choices(
        [expected, OpinionConclusion.UNDETERMINED, dissenting], weights=[7, 2, 1]
    )[0]
    findings = {}
    for step in steps:
        if step.action.startswith(("opinion:", "draft:")):
            role = step.action.split(":")[1]
            reviewer, specialty = (
                (specialist, specialist_specialty)
                if role == "specialist"
                else (second, second_specialty)
            )
            conclusion = expected if role == "specialist" else second_conclusion
            findings[role] = (specialty, conclusion, _finding(rng, specialty, conclusion, short))
            step.actor = reviewer
            step.options = {
                "conclusion": conclusion,
                "text": f"本件の{short}について検討した。{findings[role][2]}",
                "advice": rng.choice(ADVICE),
                "submit": step.action.startswith("opinion:"),
            }
            step.action = "opinion"
        elif step.action in ("decide_liable", "decide_not_liable"):
            verdict = (
                "本件施術には注意義務違反が認められ、有責と判定する。"
                if liable
                else "会員の過失は認められず、無責と判定する。"
            )
            reasons = (
                f"審査員{len(findings)}名の意見を踏まえて審議した。"
                f"{findings['specialist'][2]}以上から、{verdict}"
            )
            dissent = ""
            specialty, conclusion, text = findings["second"]
            if conclusion == dissenting:
                dissent = f"{Specialty(specialty).label}の審査員からは「{text.rstrip('。')}」との意見があった。"
            step.options = {"reasons": reasons, "dissent": dissent}
        elif step.action == "assess":
            story = STORIES[procedure]
            litigated = "go_to_court" in actions
            legal_costs = 0
            if litigated:
                legal_costs = rng.randint(30, 150) * MAN
            elif rng.random() < 0.2:
                legal_costs = rng.randint(10, 50) * MAN
            amounts = {
                "damages": min(max(_man_yen(rng, *story.damages), MIN_DAMAGES), 1_500 * MAN),
                "legal_costs": legal_costs,
                "other_insurance_paid": rng.randint(10, 50) * MAN if rng.random() < 0.1 else 0,
            }
            step.options = _affordable(policy, amounts)
        elif step.action == "refer":
            lawyer = CT.LAWSUIT in kinds or rng.random() < 0.6
            kind = ReferralKind.LAWYER if lawyer else ReferralKind.COMPLAINT_COMPANY
            step.options = {"kind": kind}


# --- walking -----------------------------------------------------------------------------------


def _walk(ctx: _Context, plan: _Plan) -> Case:
    """Report the case as the member and take every step as the person who would take it, each
    at its planned moment: the services stamp the times themselves."""
    users = ctx.users
    received, times = _timeline(plan, ctx.now)
    with time_machine.travel(received, tick=False) as clock:
        case = case_report(
            reporter=users[member_username(plan.facility_key)],
            facility=ctx.facilities[plan.facility_key],
            doctor=ctx.doctors[plan.doctor_name],
            procedure=ctx.procedures[plan.procedure],
            procedure_date=plan.procedure_date,
            claim_date=plan.claim_date,
            complaint_types=plan.complaint_types,
            narrative=plan.narrative,
            patient_demands=plan.demands,
            urgency=plan.urgency,
            patient=plan.patient,
            no_payment_promised=True,
            patient_data_confirmed=True,
        )
        for step, at in zip(plan.steps, times, strict=True):
            clock.move_to(at)
            by = users[step.actor]
            if step.action == "consent":
                case = patient_consent_record(case=case, by=by)
            elif step.action == "opinion":
                opinion_save(case=case, reviewer=by, **step.options)
            elif step.action == "assess":
                assessment_compute(case=case, by=by, **step.options)
            else:
                case = case_transition(
                    case=case, name=step.action, by=by, note=step.note, **step.options
                )
    if case.state != plan.target:
        raise RuntimeError(f"demo case ended in {case.state}, planned {plan.target}")
    return case


def _timeline(plan: _Plan, now: datetime) -> tuple[datetime, list[datetime]]:
    """When the report and each step happened: in order, people in their hours, all past.

    A path too long for the time left before now is compressed to fit.
    """
    bound = now - timedelta(minutes=2)
    start = min(plan.received_at, bound - timedelta(minutes=1)).replace(microsecond=0)
    total = sum((s.gap for s in plan.steps), timedelta())
    scale = 1.0
    if total and start + total > bound:
        scale = (bound - start) / total
    raw, moment = [], start
    for step in plan.steps:
        moment = moment + step.gap * scale
        raw.append(moment)
    tidy, previous = [], start
    for step, moment in zip(plan.steps, raw, strict=True):
        moment = _in_hours(moment, step.hours)
        moment = max(moment, previous + timedelta(minutes=3))
        tidy.append(moment)
        previous = moment
    return start, (tidy if not tidy or tidy[-1] <= bound else raw)


# --- supporting data ---------------------------------------------------------------------------


def _first_or_create(model, lookup: dict, defaults: dict) -> tuple[object, bool]:
    """get_or_create that tolerates duplicates entered by hand (takes the oldest)."""
    existing = model.objects.filter(**lookup).order_by("pk").first()
    if existing is not None:
        return existing, False
    return model.objects.create(**lookup, **defaults), True


def _supporting_data_ensure(now: datetime) -> tuple[_Context, dict[str, int]]:
    """Create whatever supporting record is missing, with the demo policies counted from the
    period in force on `now`'s day; never change one that exists (except that demo users get
    their demo password, groups and profile back)."""
    expected_groups = list(roles.GROUP_PERMISSIONS)
    groups_present = Group.objects.filter(name__in=expected_groups).count()
    if not Procedure.objects.exists() or groups_present < len(expected_groups):
        roles_sync_all(django_apps)  # an emptied test database; migrations seed the rest
    created = Counter()

    facilities = {}
    for spec in FACILITIES:
        facility, new = _first_or_create(
            Facility,
            {"name": spec.name},
            {
                "corporation_name": spec.corporation,
                "is_main_clinic": spec.is_main,
                "prefecture": spec.prefecture,
            },
        )
        facilities[spec.key] = facility
        created["facilities"] += new

    doctors = {}
    for spec in DOCTORS:
        doctor, new = _first_or_create(
            Doctor,
            {"name": spec.name, "name_kana": spec.kana},
            {"societies": [str(s) for s in spec.societies]},
        )
        doctor.workplaces.add(*(facilities[key] for key in spec.workplaces))
        doctors[spec.name] = doctor
        created["doctors"] += new

    today = now.date()

    def insure(course, facility, doctor, serial, cover, midterm=False):
        # A holder's first run creates every period of its cover; later runs only the period in
        # force (the renewal), never a past one: past claims were already judged without it.
        holder = Q(doctor=doctor) if doctor else Q(facility=facility)
        renewing = Policy.objects.filter(holder, course=course, number__startswith="DEMO-").exists()
        for offset, limit in sorted(cover.items()):
            starts_on, ends_on = policy_period(offset, today=today)
            if renewing and ends_on < today:
                continue
            if midterm and offset == min(cover):
                starts_on = rules.coverage_start(starts_on + MIDTERM_APPLIED_AFTER)
            _, new = _first_or_create(
                Policy,
                {"number": _policy_number(course, ends_on.year, serial)},
                {
                    "course": course,
                    "facility": facility,
                    "doctor": doctor,
                    "payout_limit": limit,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                },
            )
            created["policies"] += new

    for spec in FACILITIES:
        insure(Course.FACILITY, facilities[spec.key], None, spec.key, spec.cover, spec.midterm)
    for serial, spec in enumerate(DOCTORS, start=1):
        workplace = facilities[spec.workplaces[0]]
        insure(Course.DOCTOR, workplace, doctors[spec.name], serial, spec.cover)

    # One hash for every demo user: hashing is deliberately slow and the password is public.
    password = make_password(DEMO_PASSWORD)
    groups = {g.name: g for g in Group.objects.filter(name__in=expected_groups)}
    User = get_user_model()
    users = {}

    def user(username, group, last_name, first_name, email):
        account, new = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "last_name": last_name, "first_name": first_name},
        )
        account.password = password
        account.save(update_fields=["password"])
        account.groups.add(groups[group])
        users[username] = account
        created["users"] += new
        return account

    for spec in FACILITIES:
        username = member_username(spec.key)
        account = user(username, roles.MEMBERS, spec.name, "", f"{username}@example.jp")
        if not MemberProfile.objects.filter(user=account).exists():
            MemberProfile.objects.create(user=account, facility=facilities[spec.key])
    # The demo clinic's receptionist (スタッフH of the site's testimonials) has a login of its
    # own with the rights member-1 gave it (報告者), which member-1 changes in スタッフ管理.
    clinic = FACILITIES[0]
    desk = user(f"{member_username(clinic.key)}-desk", roles.MEMBERS, "受付", "はな",
                f"{member_username(clinic.key)}-desk@example.jp")  # fmt: skip
    MemberProfile.objects.get_or_create(
        user=desk, defaults={"facility": facilities[clinic.key], "role": FacilityRole.REPORTER}
    )
    reviewers, conflicts = {}, {}
    for spec in STAFF:
        email = f"{spec.username}@amrm.example.jp"
        account = user(spec.username, spec.group, spec.last_name, spec.first_name, email)
        if spec.specialty:
            profile, _ = ReviewerProfile.objects.get_or_create(
                user=account, defaults={"specialty": spec.specialty}
            )
            profile.conflicted_facilities.add(*(facilities[key] for key in spec.conflicts))
            reviewers.setdefault(profile.specialty, []).append(spec.username)
            conflicts[spec.username] = set(
                profile.conflicted_facilities.values_list("pk", flat=True)
            )
    # Fresh instances: profiles and permission caches as the database now has them.
    users = {u.username: u for u in User.objects.filter(username__in=list(users))}

    # What each (facility, doctor) pair is covered for, as policy_for_claim sees it.
    covered = {}
    policies = list(
        Policy.objects.filter(course=Course.FACILITY, facility__in=facilities.values())
        | Policy.objects.filter(course=Course.DOCTOR, doctor__in=doctors.values())
    )
    for spec in FACILITIES:
        facility = facilities[spec.key]
        for doctor_spec in DOCTORS:
            if spec.key not in doctor_spec.workplaces:
                continue
            doctor = doctors[doctor_spec.name]
            covered[spec.key, doctor_spec.name] = _merged(
                [
                    (p.starts_on, p.ends_on)
                    for p in policies
                    if (p.course == Course.FACILITY and p.facility_id == facility.pk)
                    or (p.course == Course.DOCTOR and p.doctor_id == doctor.pk)
                ]
            )

    ctx = _Context(
        now=now,
        facilities=facilities,
        doctors=doctors,
        users=users,
        procedures={p.name: p for p in Procedure.objects.all()},
        reviewers={k: sorted(v) for k, v in reviewers.items()},
        conflicts=conflicts,
        cover=covered,
    )
    return ctx, dict(created)


# The project's loggers (settings.LOGGING): their INFO lines are for the running server.
_PROJECT_LOGGERS = ("cms_pages", "casework", "search", "accounts")


@contextmanager
def quietly() -> Iterator[None]:
    """No emails and no English log lines while the demo is made: its set-up prints only what a
    newcomer needs. Warnings still show. The running server logs and mails as configured.

    override_settings is a test utility, used here only because this is demo code: the
    services send mail on commit, and in development that is the console backend.
    """
    loggers = [logging.getLogger(name) for name in _PROJECT_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # Tasks run at once (e-mails into the void, the precedent index filled) rather than
            # waiting in the database for the worker, which would send the demo's e-mails later.
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _demo_now(today: date | None) -> datetime:
    """The demo's present: `today` (default: today in Asia/Tokyo) at the current time of day."""
    now = timezone.localtime()
    return now if today is None else datetime.combine(today, now.timetz())


def demo_supporting_data_ensure(*, today: date | None = None) -> dict[str, int]:
    """Create the demo's facilities, doctors, policies and logins where missing, and renew the
    demo policies into the period in force on `today`; returns what was created, by kind."""
    with quietly(), transaction.atomic():
        _, created = _supporting_data_ensure(_demo_now(today))
    return dict(created)


def demo_cases_generate(*, count: int, seed: int, today: date | None = None) -> DemoReport:
    """Create the demo supporting data if missing, then `count` new demo cases, all in the past
    of `today` (default: today in Asia/Tokyo).

    Deterministic for a seed: the same seed gives the same cases in the same states, whatever is
    already in the database. Each run adds `count` cases; supporting data is never duplicated.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    targets = _targets(rng, count)
    self_harm = _self_harm_flags(rng, count)
    case_seeds = [rng.getrandbits(64) for _ in range(count)]

    with quietly(), transaction.atomic():
        ctx, created = _supporting_data_ensure(_demo_now(today))
        made = []
        for target, flagged, case_seed in zip(targets, self_harm, case_seeds, strict=True):
            # One generator per case: a case's draws never shift another's.
            plan = _plan(ctx, random.Random(case_seed), target=target, self_harm=flagged)
            case = _walk(ctx, plan)
            made.append(DemoCase(case.reference, case.state, plan.procedure))
    return DemoReport(
        seed=seed,
        cases=tuple(made),
        facilities_created=created.get("facilities", 0),
        doctors_created=created.get("doctors", 0),
        policies_created=created.get("policies", 0),
        users_created=created.get("users", 0),
    )
