"""Staff workspace forms. Messages are Japanese; amounts are integer yen."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import rules
from .choices import ComplaintType, Decision, OpinionConclusion, ReferralKind, Urgency
from .models import AttachmentKind, Doctor, Procedure
from .privacy import patient_data_confirmation_field
from .uploads import upload_check

# The longest text each field takes, in characters. Generous for what people write (a narrative
# of 20,000 characters is some ten A4 pages), small enough that one request cannot hold a
# worker for long (scrub, analysis, indexing).
NARRATIVE_MAX = 20_000
OPINION_MAX = 20_000
REASONS_MAX = 10_000
LONG_TEXT_MAX = 5_000  # patient demands, messages, advice, dissent
NOTE_MAX = 2_000


class _TextAreaField(forms.CharField):
    """Browsers send each line break as CR LF but count it as one character against maxlength:
    store and count it as one (LF), so text the browser allowed is never refused."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def _text_field(label: str, max_length: int, *, rows: int, required: bool = True, **kwargs):
    """A text area with a Japanese message naming the limit and the length typed."""
    return _TextAreaField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"{label}を入力してください。",
            "max_length": f"{label}は{max_length:,}文字以内でご記入ください"
            "（現在 %(show_value)d 文字）。",
        },
        **kwargs,
    )


# No payout comes near 100億円; the bound keeps a mistyped figure from reaching the database.
YEN_MAX = 10_000_000_000
_YEN_ERRORS = {
    "required": "金額を入力してください。",
    "invalid": "金額は半角数字（円・整数）で入力してください。",
    "min_value": "金額は0円以上で入力してください。",
    "max_value": f"金額は{YEN_MAX // 100_000_000:,}億円以下で入力してください。",
}


def _yen_field(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=YEN_MAX,
        required=required,
        initial=0 if not required else None,
        error_messages=_YEN_ERRORS,
        widget=forms.NumberInput(attrs={"step": 1, "min": 0}),
    )


class _Confirmable:
    """A form whose values a confirmation page repeats before anything is done."""

    def summary(self) -> list[tuple[str, str]]:
        """(label, value as shown) of each field filled in; choices by their label."""
        lines = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            lines.append((field.label, value))
        return lines


class TransitionForm(_Confirmable, forms.Form):
    """What a person adds when taking a transition; which fields apply depends on it. The
    decisions have their own form (DecisionForm)."""

    note = _text_field("メモ（履歴に残ります）", NOTE_MAX, rows=2, required=False)
    # Chosen each time: nobody is sent to a lawyer by a preselected default.
    kind = forms.ChoiceField(
        label="紹介先",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "紹介先を選んでください。"},
    )

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition is None or transition.name != "refer":
            del self.fields["kind"]
        if transition is not None and transition.name == "request_info":
            # The member's page leads with this note: it is the request itself.
            self.fields["note"].label = "会員へのご依頼（マイページに表示されます）"
            self.fields["note"].required = True

    def transition_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note" and v not in (None, "")}


class DecisionForm(_Confirmable, forms.Form):
    """The chair's decision: the verdict chosen by them (nothing preselected), its reasons and
    any dissent. The verdict picks which of the state machine's decision transitions is taken."""

    decision = forms.ChoiceField(
        label="判定",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "判定（有責・無責）を選んでください。"},
    )
    reasons = _text_field("判定理由", REASONS_MAX, rows=4, help_text="会員にも示されます。")
    dissent = _text_field("少数意見（あれば）", LONG_TEXT_MAX, rows=2, required=False)

    @property
    def decision_label(self) -> str:
        return Decision(self.cleaned_data["decision"]).label

    def transition_among(self, transitions):
        """The transition, among `transitions`, that records the chosen verdict (or None)."""
        decision = self.cleaned_data["decision"]
        return next((t for t in transitions if t.custom.get("decision") == decision), None)


class OpinionForm(_Confirmable, forms.Form):
    """A reviewer's opinion. No conclusion is chosen for them. 「下書き保存」 (posted as
    `draft`) keeps it open and may leave the conclusion unchosen; 「提出する」 (`submit`) needs
    one and asks for confirmation; the confirmation page posts `confirm`, which locks it."""

    DRAFT, SUBMIT, CONFIRM = "draft", "submit", "confirm"

    conclusion = forms.ChoiceField(
        label="結論",
        choices=OpinionConclusion.choices,
        # Required for submitting only: the draft button skips the browser's check.
        required=False,
        widget=forms.RadioSelect(attrs={"required": True}),
    )
    text = _text_field("所見", OPINION_MAX, rows=5)
    advice = _text_field("治療・今後の対策への助言", LONG_TEXT_MAX, rows=2, required=False)

    @property
    def submitting(self) -> bool:
        return self.is_bound and (self.SUBMIT in self.data or self.CONFIRM in self.data)

    @property
    def confirmed(self) -> bool:
        return self.is_bound and self.CONFIRM in self.data

    def clean(self):
        data = super().clean()
        if self.submitting and not data.get("conclusion"):
            self.add_error("conclusion", "結論を選んでから提出してください。")
        return data


class AssessmentForm(forms.Form):
    damages = _yen_field("損害賠償金（円）")
    legal_costs = _yen_field("争訟費用（保険会社の同意を得たもの・円）", required=False)
    other_insurance_paid = _yen_field("他の保険契約等で支払済みの額（円）", required=False)
    # The assessment revision the form was loaded with: a form older than the latest computation
    # is refused rather than overwriting it.
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    @classmethod
    def for_case(cls, case) -> "AssessmentForm":
        """A blank form for the first computation, the current figures for a recomputation."""
        assessment = getattr(case, "assessment", None)
        if assessment is None:
            return cls(initial={"revision": 0})
        return cls(
            initial={
                "damages": assessment.damages,
                "legal_costs": assessment.legal_costs,
                "other_insurance_paid": assessment.other_insurance_paid,
                "revision": assessment.revision,
            }
        )

    def clean(self):
        data = super().clean()
        for name in ("legal_costs", "other_insurance_paid"):
            data[name] = data.get(name) or 0
        return data


# --- member portal -------------------------------------------------------------------------


def _procedure_choices() -> list:
    """Procedures grouped by field (美容外科 / 美容皮膚科 / 美容内科 / その他), read per form."""
    groups: dict[str, list] = {}
    for procedure in Procedure.objects.order_by("sort_order"):
        groups.setdefault(procedure.get_field_display(), []).append((procedure.pk, procedure.name))
    return [("", "選択してください"), *groups.items()]


_FILE_ERRORS = {
    "required": "ファイルを選んでください。",
    "empty": "空のファイルは添付できません。",
    "invalid": "ファイルを送信できませんでした。もう一度お試しください。",
}
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseReportForm(forms.Form):
    """苦情・クレームの相談: what a member reports; the patient's identity in its own fields."""

    procedure = forms.ModelChoiceField(
        label="施術",
        queryset=Procedure.objects.all(),
        error_messages={"required": "施術を選んでください。"},
    )
    doctor = forms.ModelChoiceField(
        label="施術した医師",
        queryset=Doctor.objects.none(),
        required=False,
        empty_label="選択してください（任意）",
    )
    procedure_date = forms.DateField(label="施術日", widget=_DATE_WIDGET)
    claim_date = forms.DateField(
        label="クレーム申し出日",
        help_text="患者さんが初めて苦情を申し出た日です。この日が保険期間内かどうかで補償の対象が決まります。",
        widget=_DATE_WIDGET,
    )
    complaint_types = forms.MultipleChoiceField(
        label="苦情の種類（複数選択可）",
        choices=ComplaintType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "苦情の種類を1つ以上選んでください。"},
    )
    narrative = _text_field(
        "経緯",
        NARRATIVE_MAX,
        rows=6,
        help_text="施術の内容、患者さんの訴え、これまでの対応を時系列でご記入ください"
        f"（{NARRATIVE_MAX:,}文字まで）。",
    )
    patient_demands = _text_field("患者さんの要求", LONG_TEXT_MAX, rows=3, required=False)
    urgency = forms.ChoiceField(
        label="緊急度", choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    patient_name = forms.CharField(label="患者さんの氏名", max_length=100)
    patient_name_kana = forms.CharField(
        label="患者さんの氏名（よみがな）", max_length=100, required=False
    )
    patient_phone = forms.CharField(label="患者さんの電話番号", max_length=32, required=False)
    patient_email = forms.EmailField(label="患者さんのメールアドレス", required=False)
    patient_age = forms.IntegerField(
        label="患者さんの年齢", min_value=0, max_value=130, required=False
    )
    attachment = forms.FileField(
        label="写真・資料（任意）",
        required=False,
        help_text="JPEG・PNG・HEIC・PDF、10MBまで。あとからマイページで追加することもできます。",
        error_messages=_FILE_ERRORS,
    )
    no_payment_promised = forms.BooleanField(
        label="患者さんに金銭を支払っていない・支払いを約束していないことを確認しました",
        help_text="会員が独自に金銭の支払いや約束をすると、補償の対象外となることがあります。",
        error_messages={
            "required": "この確認は必須です。支払い・約束をしている場合は、その旨を経緯にご記入のうえ協会にお電話ください。"
        },
    )
    patient_data_confirmed = patient_data_confirmation_field()
    # Shown only once the claim date turned out to lie outside every policy period.
    confirm_outside_period = forms.BooleanField(
        label="保険期間外であることを理解したうえで相談します",
        required=False,
        widget=forms.HiddenInput,
    )

    FIELDSETS = [
        (
            "ご相談の内容",
            [
                "procedure",
                "doctor",
                "procedure_date",
                "claim_date",
                "complaint_types",
                "narrative",
                "patient_demands",
                "urgency",
                "attachment",
            ],
        ),
        (
            "患者さんの情報",
            ["patient_name", "patient_name_kana", "patient_phone", "patient_email", "patient_age"],
        ),
        ("確認", ["no_payment_promised", "patient_data_confirmed", "confirm_outside_period"]),
    ]

    def fieldsets(self):
        """(legend, visible bound fields) in the order the member fills them in."""
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names if not self[name].is_hidden]

    def ask_outside_period_confirmation(self) -> None:
        self.fields["confirm_outside_period"].widget = forms.CheckboxInput()

    def name_file_to_choose_again(self) -> None:
        """The form is coming back to the member: a browser never sends a chosen file twice, so
        say by name which file must be chosen again."""
        upload = self.files.get(self.add_prefix("attachment"))
        if upload:
            self.reselect_attachment = upload.name
            self.fields["attachment"].help_text = (
                f"先ほど選んだ「{upload.name}」は送信されていません。お手数ですが、もう一度選んでください。"
            )

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = _procedure_choices()
        self.fields["doctor"].queryset = Doctor.objects.filter(workplaces=facility)

    def clean(self):
        data = super().clean()
        procedure_date, claim_date = data.get("procedure_date"), data.get("claim_date")
        if procedure_date and claim_date:
            errors = rules.report_date_errors(procedure_date, claim_date, timezone.localdate())
            for field, message in errors.items():
                self.add_error(field, message)
        upload = data.get("attachment")
        if upload:
            try:
                mime = upload_check(upload)
                data["attachment_kind"] = (
                    AttachmentKind.PHOTO if mime.startswith("image/") else AttachmentKind.DOCUMENT
                )
            except ValidationError as error:
                self.add_error("attachment", error)
        return data

    def case_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "procedure": data["procedure"],
            "doctor": data["doctor"],
            "procedure_date": data["procedure_date"],
            "claim_date": data["claim_date"],
            "complaint_types": data["complaint_types"],
            "narrative": data["narrative"],
            "patient_demands": data["patient_demands"],
            "urgency": data["urgency"],
            "no_payment_promised": data["no_payment_promised"],
            "patient_data_confirmed": data["patient_data_confirmed"],
            "attachments": [(data["attachment"], data["attachment_kind"])]
            if data["attachment"]
            else [],
            "patient": {
                "name": data["patient_name"],
                "name_kana": data["patient_name_kana"],
                "phone": data["patient_phone"],
                "email": data["patient_email"],
                "age": data["patient_age"],
            },
        }


class MessageForm(forms.Form):
    body = _text_field("メッセージ", LONG_TEXT_MAX, rows=4)


class StaffMessageForm(MessageForm):
    internal = forms.BooleanField(label="職員のみのメモ（会員には表示されません）", required=False)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=AttachmentKind.choices)
    file = forms.FileField(
        label="ファイル",
        help_text="JPEG・PNG・HEIC・PDF、10MBまで",
        error_messages=_FILE_ERRORS,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None:
            upload_check(upload)
        return upload


class MemberAnswerForm(AttachmentForm):
    """The member's answer to a request for documents: a word for the association and,
    optionally, one file sent with it (more can be attached below on the case page)."""

    note = _text_field("協会へのひとこと（任意）", NOTE_MAX, rows=3, required=False)
    kind = forms.ChoiceField(
        label="添付するファイルの種類",
        choices=AttachmentKind.choices,
        initial=AttachmentKind.DOCUMENT,
        required=False,
    )
    file = forms.FileField(
        label="添付するファイル（任意）",
        help_text="JPEG・PNG・HEIC・PDF、10MBまで",
        error_messages=_FILE_ERRORS,
        required=False,
    )

    field_order = ["note", "kind", "file"]

    def clean_kind(self):
        return self.cleaned_data["kind"] or AttachmentKind.DOCUMENT
