"""Staff workspace forms. Messages are Japanese; amounts are integer yen."""

from django import forms

from .choices import OpinionConclusion, ReferralKind

_YEN_ERRORS = {
    "required": "金額を入力してください。",
    "invalid": "金額は半角数字（円・整数）で入力してください。",
    "min_value": "金額は0円以上で入力してください。",
}


def _yen_field(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=required,
        initial=0 if not required else None,
        error_messages=_YEN_ERRORS,
        widget=forms.NumberInput(attrs={"step": 1, "min": 0}),
    )


class TransitionForm(forms.Form):
    """What a person adds when taking a transition; which fields apply depends on it."""

    note = forms.CharField(
        label="メモ（履歴に残ります）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(
        label="判定理由（会員にも示されます）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    dissent = forms.CharField(
        label="少数意見", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label="紹介先", choices=ReferralKind.choices, required=False)

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        custom = transition.custom if transition else {}
        if not custom.get("needs_reasons"):
            del self.fields["reasons"], self.fields["dissent"]
        if transition is None or transition.name != "refer":
            del self.fields["kind"]

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError("判定理由を入力してください。")
        return reasons

    def transition_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note" and v not in (None, "")}


class OpinionForm(forms.Form):
    conclusion = forms.ChoiceField(label="結論", choices=OpinionConclusion.choices)
    text = forms.CharField(
        label="所見",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "所見を入力してください。"},
    )
    advice = forms.CharField(
        label="治療・今後の対策への助言", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    submit = forms.BooleanField(
        label="提出する（提出後は変更できません。下書き保存のときはチェックを外してください）",
        required=False,
    )


class AssessmentForm(forms.Form):
    damages = _yen_field("損害賠償金（円）")
    legal_costs = _yen_field("争訟費用（保険会社の同意を得たもの・円）", required=False)
    other_insurance_paid = _yen_field("他の保険契約等で支払済みの額（円）", required=False)

    def clean(self):
        data = super().clean()
        for name in ("legal_costs", "other_insurance_paid"):
            data[name] = data.get(name) or 0
        return data
