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


class FacilityRole(models.TextChoices):
    """What a login of a member facility may do on マイページ (see casework.member_roles)."""

    ADMIN = "admin", "管理者"
    REPORTER = "reporter", "報告者"
    READER = "reader", "閲覧のみ"


class Society(models.TextChoices):
    """The five societies whose membership makes a doctor eligible."""

    JAAM = "jaam", "日本美容医療協会"
    JDA = "jda", "日本皮膚科学会"
    JSAD = "jsad", "日本美容皮膚科学会"
    JSPRS = "jsprs", "日本形成外科学会"
    JSAPS = "jsaps", "日本美容外科学会(JSAPS)"


class Decision(models.TextChoices):
    """The review committee's finding on a case, kept when the case moves on."""

    LIABLE = "liable", "有責"
    NOT_LIABLE = "not_liable", "無責"


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


# What happens next, in plain Japanese, as a member sees it on マイページ.
NEXT_STEP = {
    CaseState.RECEIVED: "協会のサポートチームが内容を確認し、担当者からご連絡します。",
    CaseState.TRIAGE: "担当者が初期対応を進めています。患者さんへの対応について助言します。",
    CaseState.AWAITING_INFO: "追加の資料・情報をお待ちしています。メッセージをご確認のうえ、ご提出ください。",
    CaseState.PATIENT_HEARING: "患者さんのご了承を得て、サポートチームが患者さんから状況を伺っています。",
    CaseState.RESOLVED: "円満に解決しました。",
    CaseState.UNDER_REVIEW: "医師と弁護士による審査会で、過失の有無を審査しています。",
    CaseState.LIABLE: "審査会の判定は「有責」です。査定委員会で補償額を算定します。",
    CaseState.NOT_LIABLE: "審査会の判定は「無責」です。解決に向けた進め方をご相談します。",
    CaseState.ASSESSMENT: "査定委員会で補償額を算定しています。",
    CaseState.SETTLEMENT: "保険会社の同意のもと、示談の手続きを進めてください（協会は示談交渉を行いません）。",
    CaseState.LITIGATION: "訴訟の手続き中です。争訟費用は原則として全額が支払いの対象です。",
    CaseState.PAYMENT_APPROVAL: "保険金の支払いを承認手続き中です。",
    CaseState.PAID: "保険金をお支払いしました。",
    CaseState.CLOSED: "この案件は完了しました。",
    CaseState.REFERRED: "弁護士または苦情処理専門会社をご紹介しました。",
    CaseState.NOT_COVERED: "クレーム申し出日が保険期間外のため補償の対象外ですが、対応方法などの助言は引き続き行います。",
    CaseState.WITHDRAWN: "ご相談は取り下げられました。",
}


class Specialty(models.TextChoices):
    """A reviewer's field, matched against the procedure's field (the committee pages show it)."""

    DERMATOLOGY = "dermatology", "皮膚科"
    PLASTIC_SURGERY = "plastic_surgery", "形成外科"
    LAW = "law", "法律"
