"""Japanese forms for the member/staff login pages, two-factor authentication and a member
facility's invitations of its staff (マイページのスタッフ管理)."""

import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from ..choices import FacilityRole
from ..enrollment.forms import NormalizedTextField

CODE_INVALID = "コードが正しくありません。"
CODE_THROTTLED = "コードの誤りが続いたため、しばらく入力を受け付けません。少し時間をおいてから再度お試しください。"

TOTP_PATTERN = re.compile(r"^\d{6}$")
# django-otp's backup codes: 8 characters of lower-case base32 (StaticToken.random_token()).
BACKUP_CODE_PATTERN = re.compile(r"^[a-z2-7]{8}$")


class LoginForm(AuthenticationForm):
    """Email address (or, for staff, username) and password."""

    error_messages = {
        "invalid_login": "メールアドレスまたはパスワードが正しくありません。",
        "inactive": "このアカウントは現在ご利用いただけません。協会事務局にお問い合わせください。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "メールアドレス"
        username.help_text = "協会職員・審査員の方はユーザー名でもログインできます。"
        # An email address may be longer than a username (150).
        username.max_length = 254
        username.widget.attrs.update(
            {
                "maxlength": 254,
                "autocomplete": "username",
                "inputmode": "email",
                "spellcheck": "false",
            }
        )
        username.error_messages["required"] = "メールアドレスを入力してください。"
        password = self.fields["password"]
        password.label = "パスワード"
        password.error_messages["required"] = "パスワードを入力してください。"


class JapanesePasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "メールアドレス"
        email.help_text = (
            "ご登録のメールアドレスを入力してください。パスワード再設定用のリンクをお送りします。"
        )
        email.error_messages.update(
            required="メールアドレスを入力してください。",
            invalid="メールアドレスの形式が正しくありません。",
        )


class JapaneseSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新しいパスワード"
        self.fields["new_password2"].label = "新しいパスワード（確認）"
        self.fields["new_password2"].help_text = "確認のため、もう一度入力してください。"
        self.error_messages["password_mismatch"] = "2つのパスワードが一致しません。"


class TwoFactorCodeForm(forms.Form):
    """One code: six digits from the authenticator app (or, when verifying, a backup code)."""

    code = forms.CharField(
        label="確認コード",
        max_length=16,
        error_messages={"required": "コードを入力してください。"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
                "size": 10,
            }
        ),
    )

    def __init__(self, *args, allow_backup_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_backup_code = allow_backup_code
        if allow_backup_code:
            self.fields[
                "code"
            ].help_text = "認証アプリに表示された6桁の数字。スマートフォンが手元にないときはバックアップコード（8文字）も使えます。"
        else:
            self.fields["code"].help_text = "認証アプリに表示された6桁の数字"

    def clean_code(self):
        # Full-width digits (１２３４５６) from a Japanese input method count as digits.
        code = unicodedata.normalize("NFKC", self.cleaned_data["code"])
        code = re.sub(r"[\s-]", "", code).lower()
        if TOTP_PATTERN.match(code):
            return code
        if self.allow_backup_code and BACKUP_CODE_PATTERN.match(code):
            return code
        raise forms.ValidationError(CODE_INVALID, code="invalid")

    @property
    def is_backup_code(self) -> bool:
        return not TOTP_PATTERN.match(self.cleaned_data.get("code", ""))


_NAME_MAX = get_user_model()._meta.get_field("last_name").max_length
_EMAIL_MAX = get_user_model()._meta.get_field("email").max_length


class _FoldedEmailField(NormalizedTextField, forms.EmailField):
    """An address as typed with a Japanese input method: full-width letters, digits and @ folded
    (ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ is yamada@example.jp) before it is checked."""


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="役割",
        choices=FacilityRole.choices,
        error_messages={
            "required": "役割を選んでください。",
            "invalid_choice": "役割は一覧から選んでください。",
        },
    )


def _name_field(label: str, *, required: bool) -> NormalizedTextField:
    return NormalizedTextField(
        label=label,
        max_length=_NAME_MAX,
        required=required,
        error_messages={
            "required": f"{label}を入力してください。",
            "max_length": f"{label}は{_NAME_MAX}文字以内で入力してください。",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ColleagueInviteForm(forms.Form):
    """A colleague to invite: name (family name first), e-mail address and role."""

    last_name = _name_field("姓", required=True)
    first_name = _name_field("名", required=False)
    email = _FoldedEmailField(
        label="メールアドレス",
        max_length=_EMAIL_MAX,
        help_text="パスワードを設定するためのリンクをお送りします。ログインにも使います。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません。",
            "max_length": f"メールアドレスは{_EMAIL_MAX}文字以内で入力してください。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    role = _role_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The least a colleague may need: a 管理者 chooses more on purpose.
        self.fields["role"].initial = FacilityRole.REPORTER
        self.fields["role"].help_text = (
            "管理者：スタッフの招待・削除と、すべての操作　"
            "報告者：苦情の報告、協会への回答・メッセージ・ファイルの送信　"
            "閲覧のみ：案件と補償の確認だけ"
        )


class ColleagueRoleForm(forms.Form):
    role = _role_field()
