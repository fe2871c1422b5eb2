from django.db import models


class CaseState(models.TextChoices):
    RECEIVED = "received", "受付"
    TRIAGE = "triage", "初期対応"
    AWAITING_INFO = "awaiting_info", "追加資料待ち"
    PATIENT_HEARING = "patient_hearing", "状況聴取"
    RESOLVED = "resolved", "円満解決"
    UNDER_REVIEW = "under_review", "審査中"
    LIABLE = "liable", "有責"
    NOT_LIABLE = "not_liable", "無責"
    ASSESSMENT = "assessment", "査定中"
    SETTLEMENT = "settlement", "示談手続中"
    LITIGATION = "litigation", "訴訟"
    PAYMENT_APPROVAL = "payment_approval", "支払承認待ち"
    PAID = "paid", "支払済"
    CLOSED = "closed", "完了"
    REFERRED = "referred", "紹介"
    NOT_COVERED = "not_covered", "補償対象外"
    WITHDRAWN = "withdrawn", "取下げ"


# A case can still be withdrawn from these; the rest are outcomes.
OPEN_STATES = [
    CaseState.RECEIVED,
    CaseState.TRIAGE,
    CaseState.AWAITING_INFO,
    CaseState.PATIENT_HEARING,
    CaseState.UNDER_REVIEW,
    CaseState.LIABLE,
    CaseState.NOT_LIABLE,
    CaseState.ASSESSMENT,
    CaseState.SETTLEMENT,
    CaseState.LITIGATION,
    CaseState.PAYMENT_APPROVAL,
]


class ProcedureField(models.TextChoices):
    COSMETIC_SURGERY = "cosmetic_surgery", "美容外科"
    COSMETIC_DERMATOLOGY = "cosmetic_dermatology", "美容皮膚科"
    COSMETIC_INTERNAL = "cosmetic_internal", "美容内科"
    OTHER = "other", "その他"


class ComplaintType(models.TextChoices):
    RESULT = "result", "仕上がりへの不満"
    REFUND = "refund", "返金要求"
    COMPLICATION = "complication", "合併症・後遺症"
    STAFF = "staff", "スタッフ対応"
    ONLINE_POST = "online_post", "ネット書き込みの示唆"
    LAWSUIT = "lawsuit", "訴訟の示唆"
    SELF_HARM = "self_harm", "自傷・希死念慮の示唆"
    REPEATED_CONTACT = "repeated_contact", "頻回の連絡"


class Course(models.TextChoices):
    FACILITY = "facility", "開設者コース"
    DOCTOR = "doctor", "施術医コース"


class Society(models.TextChoices):
    """The five societies whose membership makes a doctor eligible."""

    JAAM = "jaam", "日本美容医療協会"
    JDA = "jda", "日本皮膚科学会"
    JSAD = "jsad", "日本美容皮膚科学会"
    JSPRS = "jsprs", "日本形成外科学会"
    JSAPS = "jsaps", "日本美容外科学会(JSAPS)"


class OpinionConclusion(models.TextChoices):
    LIABLE = "liable", "過失あり（有責）"
    NOT_LIABLE = "not_liable", "過失なし（無責）"
    UNDETERMINED = "undetermined", "判断保留"


class ReferralKind(models.TextChoices):
    LAWYER = "lawyer", "弁護士"
    COMPLAINT_COMPANY = "complaint_company", "苦情処理専門会社"


class Urgency(models.TextChoices):
    NORMAL = "normal", "通常"
    URGENT = "urgent", "至急"
