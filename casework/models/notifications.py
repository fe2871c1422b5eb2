"""What the task queue gave up on: e-mails never sent and precedent-index updates never made."""

from django.db import models
from django.utils import timezone

from .cases import AppendOnlyModel


class NotificationFailureKind(models.TextChoices):
    EMAIL = "email", "メール送信"
    PRECEDENT_INDEX = "precedent_index", "事例検索の索引更新"


class NotificationFailure(AppendOnlyModel):
    """One task of casework/tasks.py that failed on every attempt, written once by the task
    itself (django-tasks keeps no retries or failures of its own that the immediate backend and
    the database backend share). The office's administrators read it in the admin and follow up:
    tell the person by telephone, or run rebuild_precedent_index.

    Holds what the e-mail's subject and recipients already show, never its body; e-mails carry
    no patient data, and an index update is named by its case's reference only.
    """

    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    kind = models.CharField("種類", max_length=16, choices=NotificationFailureKind.choices)
    about = models.CharField("件名・対象", max_length=255)
    recipients = models.TextField("宛先", blank=True)
    attempts = models.PositiveSmallIntegerField("試行回数")
    error = models.TextField("最後のエラー")

    class Meta:
        verbose_name = verbose_name_plural = "送信・更新の失敗"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.about}"
