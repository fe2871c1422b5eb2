"""What the person looking at a case can and should do now, or, when nothing is theirs to do,
who has the ball.

Reads only (no writes, no request): the case page shows the answer at the top, with the action
itself beside it. Which transitions exist and who may take them stays with the state machine;
this module only picks the likely one and says it in plain Japanese.
"""

from dataclasses import dataclass

from django.utils import timezone

from .accounts.names import display_name
from .choices import OPEN_STATES, CaseState
from .rules import format_yen
from .selectors import case_transitions_for, reviewer_conflicted

S = CaseState

# What the page offers beside the sentence.
TRANSITIONS = "transitions"  # the primary transition's form (others folded away)
OPINION = "opinion"  # the reviewer's opinion form
DECIDE = "decide"  # a link to the opinions, then the decision form below them
ASSESS = "assess"  # the assessment form

# The step that usually follows, most likely first. Steps not listed are never primary:
# 追加資料を提出 is the member's (support only stands in for them), 取下げ ends a case on the
# member's wish, 訴訟へ移行 is what a settlement comes to only when it fails.
_LIKELY = (
    "mark_not_covered",  # offered only when the claim date lies outside the policy
    "start_triage",
    "start_hearing",  # offered only once the patient agreed to be heard
    "refer_to_review",
    "request_info",
    "resolve",
    "start_assessment",
    "start_settlement",
    "request_payment",
    "approve_payment",
    "refer",
    "close",
)

# The sentence for the person whose turn it is, by state.
_YOUR_TURN = {
    S.RECEIVED: "新しい相談です。内容を確かめ、会員に連絡して初期対応を開始してください。",
    S.TRIAGE: "初期対応中です。会員に助言し、必要に応じて追加資料の依頼・状況聴取・"
    "審査会への付議に進めてください。",
    S.PATIENT_HEARING: "状況聴取中です。円満に解決しなければ審査会に付議してください。",
    S.NOT_LIABLE: "無責と判定されました。円満解決とするか、弁護士等を紹介してください。",
    S.LIABLE: "有責と判定されました。査定を開始してください。",
    S.SETTLEMENT: "示談手続中です。示談が整ったら支払承認を依頼してください。",
    S.LITIGATION: "訴訟の手続き中です。結果が出たら支払承認を依頼してください。",
    S.PAYMENT_APPROVAL: "支払承認の依頼が届いています。査定の内容を確かめて支払を承認してください。",
    S.RESOLVED: "円満解決しました。会員への連絡を済ませたら案件を完了してください。",
    S.REFERRED: "紹介を終えました。会員への連絡を済ませたら案件を完了してください。",
    S.PAID: "保険金を支払いました。会員への連絡を済ませたら案件を完了してください。",
    S.NOT_COVERED: "補償対象外としました。助言を終えたら案件を完了してください。",
}
_NOT_COVERED_FIRST = "クレーム申し出日が保険期間外です。確かめたうえで補償対象外としてください。"


@dataclass(frozen=True)
class NextStep:
    """The answer for one person on one case."""

    #: What to do now, or who has the ball, in one sentence.
    text: str
    #: What the page offers with it: TRANSITIONS, OPINION, DECIDE, ASSESS or "" (nothing).
    action: str = ""
    #: The most likely transition's name, offered first; "" when none is.
    primary: str = ""
    #: The other transitions this person may take now (the decisions excepted: their own form).
    others: tuple[str, ...] = ()
    #: A second line: what is missing, the current figures.
    detail: str = ""

    @property
    def mine(self) -> bool:
        """Whether the ball is this person's."""
        return bool(self.action)


def own_opinion(*, case, user):
    """`user`'s opinion on `case` (draft or submitted), or None."""
    return next((o for o in case.opinions.all() if o.reviewer_id == user.pk), None)


def opinion_writable_by(*, case, user) -> bool:
    """May `user` write (or go on writing) an opinion on `case` now: a registered reviewer with
    no conflict with the facility, while the case is under review and their opinion is not yet
    submitted. opinion_save enforces the same and says why not."""
    if case.state != S.UNDER_REVIEW or not hasattr(user, "reviewer_profile"):
        return False
    if not user.has_perm("casework.review_case") or reviewer_conflicted(case=case, user=user):
        return False
    own = own_opinion(case=case, user=user)
    return own is None or own.submitted_at is None


def next_step(*, case, user, transitions: list | None = None) -> NextStep:
    """What `user` can and should do on `case` now. `transitions` are the ones they may take
    (case_transitions_for), when the caller already has them."""
    if transitions is None:
        transitions = case_transitions_for(case=case, user=user)
    names = [t.name for t in transitions if not t.custom.get("decision")]
    deciding = len(names) < len(transitions)
    primary = next((name for name in _LIKELY if name in names), "")
    others = tuple(name for name in names if name != primary)

    if case.state == S.UNDER_REVIEW:
        submitted = sum(1 for o in case.opinions.all() if o.submitted_at)
        if opinion_writable_by(case=case, user=user):
            own = own_opinion(case=case, user=user)
            text = (
                "意見書の下書きがあります。仕上げて提出してください。"
                if own
                else "この案件の意見書を書いて提出してください。"
            )
            return NextStep(text, action=OPINION, others=tuple(names))
        if deciding:
            return NextStep(
                f"意見書 {submitted}通を確認して判定してください。",
                action=DECIDE,
                others=tuple(names),
            )
        own = own_opinion(case=case, user=user)
        if own is not None and own.submitted_at:
            when = timezone.localtime(own.submitted_at)
            return NextStep(
                f"意見書は提出済みです（{when:%Y年%-m月%-d日 %H:%M}）。",
                others=tuple(names),
                detail=waiting_for(case=case, user=user),
            )
    if case.state == S.ASSESSMENT and user.has_perm("casework.assess_case"):
        if case.has_assessment():
            text = (
                f"査定済みです（支払総額 {format_yen(case.assessment.total)}）。内容を確かめて"
                "示談手続きへ進めてください。金額を直すときは再計算できます。"
            )
        else:
            text = "損害賠償金などの金額を入力して、支払額を計算してください。"
        return NextStep(text, action=ASSESS, primary=primary, others=others)
    if primary:
        if primary == "mark_not_covered":
            text = _NOT_COVERED_FIRST
        else:
            text = _YOUR_TURN.get(case.state, "次の操作を選んでください。")
        return NextStep(text, action=TRANSITIONS, primary=primary, others=others)
    return NextStep(waiting_for(case=case, user=user), others=tuple(names), detail=_unmet(case))


def waiting_for(*, case, user) -> str:
    """Who has the ball on `case`, as `user` is told when it is not theirs."""
    state = case.state
    if state not in OPEN_STATES and state not in _YOUR_TURN:
        return f"この案件は終了しています（{case.get_state_display()}）。"
    if state == S.AWAITING_INFO:
        return "会員からの追加資料・回答を待っています。"
    if state == S.UNDER_REVIEW:
        submitted = sum(1 for o in case.opinions.all() if o.submitted_at)
        if case.has_enough_opinions():
            return f"審査会長の判定を待っています（意見書 {submitted}通提出済み）。"
        return f"審査員の意見書を待っています（提出済み {submitted}通）。"
    if state == S.LIABLE:
        return "査定員が査定を始めるのを待っています。"
    if state == S.ASSESSMENT:
        if case.has_assessment():
            return "査定員が示談手続きへ進めるのを待っています。"
        return "査定員の査定を待っています。"
    if state in (S.SETTLEMENT, S.LITIGATION):
        return "保険会社担当者の支払承認の依頼を待っています。"
    if state == S.PAYMENT_APPROVAL:
        if case.payment_requested_by_id == user.pk:
            return "支払承認を依頼済みです。保険会社の別の担当者の承認を待っています。"
        requester = display_name(case.payment_requested_by)
        return f"保険会社担当者の支払承認を待っています（依頼：{requester}）。"
    if case.handler_id is None:
        return "サポートチームの対応を待っています（担当者未定）。"
    return f"サポート担当（{display_name(case.handler)}）の対応を待っています。"


def _unmet(case) -> str:
    """Why a case under review cannot be decided yet, in the condition's own words."""
    if case.state == S.UNDER_REVIEW and not case.has_enough_opinions():
        return case.has_enough_opinions.unmet_message
    return ""
