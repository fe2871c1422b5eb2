"""What members and the support team exchange on a case: messages and attachments."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from ..uploads import ALLOWED_TYPES
from .cases import Case


def private_storage() -> FileSystemStorage:
    """Outside the web root, with no URL: files are only ever served by a permission-checking view."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name with the extension of the checked content type: the member's file name may
    # carry the patient's name, and may be longer than any file system allows.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{ALLOWED_TYPES[instance.content_type]}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "写真"
    DOCUMENT = "document", "資料"
    CONSENT = "consent", "患者さんの同意書（状況聴取）"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("種類", max_length=16, choices=AttachmentKind.choices)
    file = models.FileField("ファイル", storage=private_storage, upload_to=_attachment_path)
    original_name = models.CharField("ファイル名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("登録日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "添付ファイル"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} の添付ファイル（{self.get_kind_display()}）"


class Message(models.Model):
    """One message on a case's thread; internal notes are for staff eyes only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="送信者", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField("本文")
    internal = models.BooleanField("職員のみのメモ", default=False)
    created_at = models.DateTimeField("日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "メッセージ"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} のメッセージ"
