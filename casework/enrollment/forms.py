"""The steps of the online application. Each step checks the conditions on its own fields."""

import unicodedata

from django import forms
from django.utils import timezone

from .. import rules
from ..choices import Course, Society
from ..privacy import privacy_consent_field
from .choices import ApplicantRole, QualifyingRole
from .eligibility import applicant_problem, doctor_problem, membership_problem
from .models import Application

PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
_YES_NO = [("yes", "はい"), ("no", "いいえ")]
# The longest address mail can deliver (RFC 5321) and Application.email's column.
EMAIL_MAX_LENGTH = Application._meta.get_field("email").max_length


class NormalizedTextField(forms.CharField):
    """Text as stored: full-width letters and digits from a Japanese input method folded (NFKC),
    spaces collapsed, before the length is checked. Folding can lengthen text (㍿ is 株式会社), so
    the limit is checked on what will be saved, never on what was typed."""

    def to_python(self, value):
        return " ".join(unicodedata.normalize("NFKC", super().to_python(value)).split())


def _text(label: str, column: str, *, required: bool = True, **attrs) -> forms.CharField:
    """A one-line text field as long as Application's `column` allows, with Japanese messages.

    The limits, from the model: names and readings 100 characters, facility and corporation
    names 200, phone and membership numbers 32; the email address has EMAIL_MAX_LENGTH. The
    application has no free-text area.
    """
    max_length = Application._meta.get_field(column).max_length
    return NormalizedTextField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"{label}を入力してください。",
            "max_length": f"{label}は{max_length}文字以内で入力してください。",
        },
        widget=forms.TextInput(attrs=attrs),
    )


def _choice(label: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"{label}を選んでください。",
            "invalid_choice": f"{label}を選び直してください。",
        },
        **kwargs,
    )


class StepForm(forms.Form):
    """A step of the application; `course` and `applicant_role` are what earlier steps chose."""

    title = ""

    def __init__(self, *args, course: str | None = None, applicant_role: str | None = None, **kw):
        super().__init__(*args, **kw)
        self.course, self.applicant_role = course, applicant_role

    def application_fields(self) -> dict:
        """This step's share of Application's fields."""
        return dict(self.cleaned_data)


class CourseForm(StepForm):
    title = "コースと会員資格"

    course = _choice(
        "コース",
        [
            (Course.FACILITY, "開設者コース（施設が補償の対象。1施設ごとにお申し込みください）"),
            (Course.DOCTOR, "施術医コース（医師ご本人が補償の対象。すべての勤務先で補償されます）"),
        ],
    )
    payout_limit = forms.TypedChoiceField(
        label="支払限度額",
        coerce=int,
        choices=[
            (
                limit,
                f"1事故 {rules.format_man_yen(limit)}（保険期間中 {rules.format_man_yen(rules.AGGREGATE_LIMITS[limit])}）",
            )
            for limit in rules.PAYOUT_LIMITS
        ],
        widget=forms.RadioSelect,
        help_text=f"免責金額は各コース共通で1事故 {rules.format_man_yen(rules.DEDUCTIBLE)}です。",
        error_messages={
            "required": "支払限度額を選んでください。",
            "invalid_choice": "支払限度額を選び直してください。",
        },
    )
    is_member = _choice(
        "当協会の正会員ですか",
        [("yes", "はい、正会員です"), ("no", "いいえ、まだ会員ではありません")],
        help_text=(
            "ご加入には当協会の正会員であることが必要です。入会のご案内は"
            '<a href="/request/">資料請求</a>からお申し込みいただけます。'
        ),
    )
    membership_number = _text("会員番号", "membership_number", required=False, autocomplete="off")

    def clean(self):
        data = super().clean()
        if "is_member" in data:
            problem = membership_problem(
                is_member=data["is_member"] == "yes", number=data.get("membership_number", "")
            )
            if problem:
                field = "is_member" if data["is_member"] != "yes" else "membership_number"
                self.add_error(field, problem)
        return data

    def application_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "course": data.get("course") or self.course,  # a renewal's course is fixed
            "payout_limit": data["payout_limit"],
            "membership_number": data["membership_number"],
        }


class ApplicantForm(StepForm):
    title = "お申込みになる方"

    applicant_role = _choice(
        "お申込みになる方のお立場",
        [(r.value, r.label) for r in ApplicantRole if r != ApplicantRole.DOCTOR],
        help_text="医療法人の理事長は、医師でない方もお申し込みいただけます。",
    )
    applicant_name = _text("氏名", "applicant_name", autocomplete="name")
    applicant_name_kana = _text("氏名（よみがな）", "applicant_name_kana")
    email = forms.EmailField(
        label="メールアドレス",
        max_length=EMAIL_MAX_LENGTH,
        help_text="受付確認と、承認後のマイページのご案内をお送りします。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。",
            "max_length": f"メールアドレスは{EMAIL_MAX_LENGTH}文字以内で入力してください。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = _text("電話番号", "phone", autocomplete="tel", inputmode="tel")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.course == Course.DOCTOR:
            # 施術医コース: the insured doctor applies in person; nothing to choose.
            del self.fields["applicant_role"]
            self.fields["applicant_name"].label = "氏名（被保険者となる医師）"

    def clean(self):
        data = super().clean()
        if self.course == Course.DOCTOR:
            data["applicant_role"] = ApplicantRole.DOCTOR
        elif data.get("applicant_role"):
            # The corporation's name is asked with the facility; only the role is checked here.
            problem = applicant_problem(
                course=self.course, role=data["applicant_role"], corporation_name="-"
            )
            if problem:
                self.add_error("applicant_role", problem)
        return data

    def application_fields(self) -> dict:
        fields = super().application_fields()
        if self.course == Course.DOCTOR:
            fields.update(
                doctor_name=fields["applicant_name"],
                doctor_name_kana=fields["applicant_name_kana"],
                doctor_is_doctor=True,
            )
        return fields


class FacilityForm(StepForm):
    title = "施設"

    facility_name = _text("施設名", "facility_name", autocomplete="organization")
    corporation_name = _text("法人名（医療法人の場合）", "corporation_name", required=False)
    prefecture = forms.ChoiceField(
        label="都道府県",
        choices=[("", "選択してください"), *((p, p) for p in PREFECTURES)],
        error_messages={
            "required": "都道府県を選んでください。",
            "invalid_choice": "都道府県を選び直してください。",
        },
    )
    is_main_clinic = _choice(
        "本院・分院",
        [("yes", "本院（または1施設のみ）"), ("no", "分院")],
        help_text=(
            "複数のクリニックを経営されている場合も、1施設ごとにお申し込みください。"
            "出資金は本院のみお納めいただきます（分院の出資金は不要です）。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.course == Course.DOCTOR:
            self.fields["facility_name"].label = "主たる勤務先の施設名"
            self.fields[
                "facility_name"
            ].help_text = (
                "施術医コースは勤務先ごとのお申込みは不要です。主たる勤務先をご登録ください。"
            )
            del self.fields["is_main_clinic"]

    def clean(self):
        data = super().clean()
        if self.applicant_role == ApplicantRole.CHAIR:
            problem = applicant_problem(
                course=self.course,
                role=self.applicant_role,
                corporation_name=data.get("corporation_name", ""),
            )
            if problem:
                self.add_error("corporation_name", problem)
        return data

    def application_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "facility_name": data["facility_name"],
            "corporation_name": data["corporation_name"],
            "prefecture": data["prefecture"],
            "is_main_clinic": data.get("is_main_clinic", "yes") == "yes",
        }


class DoctorForm(StepForm):
    title = "医師と所属学会"

    qualifying_role = _choice("医師の立場", QualifyingRole.choices)
    doctor_name = _text("医師の氏名", "doctor_name")
    doctor_name_kana = _text("医師の氏名（よみがな）", "doctor_name_kana")
    doctor_is_doctor = _choice("開設者または施術責任者は医師ですか", _YES_NO)
    societies = forms.MultipleChoiceField(
        label="所属学会（複数選択可）",
        choices=Society.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="5団体のいずれかに所属していることが加入の条件です。",
        error_messages={"invalid_choice": "所属学会を選び直してください。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.course == Course.DOCTOR:
            # The insured doctor is the applicant, named in the previous step.
            for name in ("qualifying_role", "doctor_name", "doctor_name_kana", "doctor_is_doctor"):
                del self.fields[name]
            self.fields["societies"].label = "ご所属の学会（複数選択可）"
        else:
            self.fields[
                "doctor_name"
            ].help_text = "施設の開設者または美容医療の施術責任者である医師（申込者ご本人の場合も入力してください）"

    def clean(self):
        data = super().clean()
        is_doctor = data.get("doctor_is_doctor", "yes") == "yes"
        if self.course in Course.values and "societies" in data:
            problem = doctor_problem(
                course=self.course, is_doctor=is_doctor, societies=data["societies"]
            )
            if problem:
                self.add_error("doctor_is_doctor" if not is_doctor else "societies", problem)
        return data

    def application_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"societies": data["societies"]}
        if self.course == Course.FACILITY:
            fields.update(
                qualifying_role=data["qualifying_role"],
                doctor_name=data["doctor_name"],
                doctor_name_kana=data["doctor_name_kana"],
                doctor_is_doctor=data["doctor_is_doctor"] == "yes",
            )
        return fields


class ConfirmForm(StepForm):
    title = "内容の確認"

    agree = forms.BooleanField(
        label="申込内容に誤りがないことを確認しました",
        error_messages={"required": "申込内容をご確認のうえ、チェックを入れてください。"},
    )
    privacy_consent = privacy_consent_field(
        required_message="お申し込みには、個人情報の取扱いへの同意が必要です。"
    )

    def application_fields(self) -> dict:
        return {"privacy_consented_at": timezone.now()}


class RenewalLimitForm(CourseForm):
    """The renewal's course part: the course is the policy's and membership is known, so only
    the limit (changeable) and the 会員番号 (confirmed) are asked."""

    title = "支払限度額と会員番号"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["course"], self.fields["is_member"]

    def clean(self):
        data = super().clean()
        if "membership_number" in data:
            problem = membership_problem(is_member=True, number=data["membership_number"])
            if problem:
                self.add_error("membership_number", problem)
        return data


class RenewalForm:
    """The renewal (継続) on one page: /join/'s steps, each checking its own conditions as there,
    bound to the same data and prefilled (enrollment.selectors.renewal_initial) so that the
    member retypes nothing. The course is the renewed policy's and cannot change."""

    def __init__(self, data=None, *, course: str, initial: dict):
        source = data if data is not None else initial
        role = ApplicantRole.DOCTOR if course == Course.DOCTOR else source.get("applicant_role")
        self.parts = [
            RenewalLimitForm(data, course=course, initial=initial),
            ApplicantForm(data, course=course, initial=initial),
            FacilityForm(data, course=course, applicant_role=role, initial=initial),
            DoctorForm(data, course=course, initial=initial),
        ]
        facility = self.parts[2].fields
        if "is_main_clinic" in facility:
            facility["is_main_clinic"].help_text = ""  # its 出資金 note: a renewal owes none
        doctor = self.parts[-1].fields
        doctor["societies"].help_text = (
            "ご退会・ご入会があった場合は、ここで訂正してください。"
            "5団体のいずれかに所属していることが継続の条件です。"
        )
        if "doctor_name" in doctor:
            # A name that is not the facility's doctor's is recorded as another doctor.
            doctor["doctor_name"].help_text = (
                "施設の開設者または美容医療の施術責任者である医師。"
                "医師が替わった場合は、新しい医師の氏名を入力してください。"
            )

    def is_valid(self) -> bool:
        return all([part.is_valid() for part in self.parts])  # a list: every part shows errors

    @property
    def has_errors(self) -> bool:
        return any(part.errors for part in self.parts)

    def application_fields(self) -> dict:
        fields = {}
        for part in self.parts:
            fields.update(part.application_fields())
        return fields
