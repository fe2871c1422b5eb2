import unicodedata

from django.db import models, transaction
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..cache import purge


@register_setting(icon="mail")
class ContactSettings(BaseSiteSetting):
    """The association's contact details, shown in the footer, on お問い合わせ and on 協会概要.

    Every field may stay empty: an empty line is not shown, so nothing the association has not
    confirmed ever appears on the site. Saving goes live at once (settings have no moderation),
    so only the 公開承認 group may change them.
    """

    name = models.CharField("名称", max_length=100, blank=True)
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, help_text="例: 100-0001（〒は不要）"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True, help_text="例: 03-1234-5678")
    hours = models.CharField(
        "受付時間", max_length=100, blank=True, help_text="例: 平日 10:00〜17:00（土日祝を除く）"
    )
    email = models.EmailField("メールアドレス", blank=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel([FieldPanel("postal_code"), FieldPanel("address")], heading="所在地"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("hours"), FieldPanel("email")],
            heading="電話・メール",
        ),
    ]

    class Meta:
        verbose_name = "連絡先"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every cached public page shows these in its footer.
        transaction.on_commit(purge)

    @property
    def phone_href(self) -> str:
        """The number as a tel: link takes it: half-width digits and + only."""
        return "".join(c for c in unicodedata.normalize("NFKC", self.phone) if c in "+0123456789")
