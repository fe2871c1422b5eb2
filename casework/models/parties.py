"""The people and places a case involves: facilities, doctors, members and reviewers."""

from django.conf import settings
from django.db import models

from ..choices import FacilityRole, Society, Specialty


class Facility(models.Model):
    """A clinic or hospital (施設). Capital is paid for the main clinic (本院) only."""

    name = models.CharField("施設名", max_length=200)
    corporation_name = models.CharField("法人名", max_length=200, blank=True)
    is_main_clinic = models.BooleanField("本院", default=True)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "施設"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Doctor(models.Model):
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("よみがな", max_length=100, blank=True)
    # Codes of Society; membership of one of the five is the condition of cover.
    societies = models.JSONField("所属学会", default=list, blank=True)
    workplaces = models.ManyToManyField(Facility, verbose_name="勤務先", related_name="doctors")

    class Meta:
        verbose_name = verbose_name_plural = "医師"
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def society_labels(self) -> list[str]:
        return [Society(code).label for code in self.societies if code in Society.values]

    @property
    def is_society_member(self) -> bool:
        return bool(self.society_labels)


class MemberProfile(models.Model):
    """A member's login, tied to the facility whose cases it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile"
    )
    facility = models.ForeignKey(
        Facility, verbose_name="施設", on_delete=models.PROTECT, related_name="members"
    )
    doctor = models.ForeignKey(
        Doctor,
        verbose_name="医師（施術医コース）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_profiles",
    )
    # The login that opened the facility's membership is its 管理者; colleagues it invites get
    # the role it chooses for them.
    role = models.CharField(
        "施設内の役割", max_length=16, choices=FacilityRole.choices, default=FacilityRole.ADMIN
    )
    # A colleague's login is made by the facility's 管理者 on マイページ (casework.facility_staff);
    # the opener's, by enrolment, has no inviter.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="招待した人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField("招待日時", null=True, blank=True)
    # Stamped the first time the login sets its own password through an e-mailed link: until
    # then an invitation is pending (its login has a random password nobody knows).
    password_set_at = models.DateTimeField("パスワード設定日時", null=True, blank=True)
    # A removed colleague's login is deactivated, not deleted: the cases, messages and files it
    # reported or wrote keep naming it.
    removed_at = models.DateTimeField("削除日時", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="削除した人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "会員ユーザー"

    def __str__(self) -> str:
        return f"{self.user} ({self.facility})"

    @property
    def is_pending(self) -> bool:
        """Invited by a colleague and no password set yet: the invitation may be resent or
        cancelled, and the login cannot act for the facility."""
        return self.invited_at is not None and self.password_set_at is None


class ReviewerProfile(models.Model):
    """A review-committee member who writes opinions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    specialty = models.CharField("専門分野", max_length=32, choices=Specialty.choices)
    committee_member = models.ForeignKey(
        "cms_pages.CommitteeMemberPage",
        verbose_name="審査会メンバーのページ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A reviewer may not review a case of a facility they work for or are otherwise tied to.
    conflicted_facilities = models.ManyToManyField(
        Facility, verbose_name="利害関係のある施設", blank=True, related_name="conflicted_reviewers"
    )

    class Meta:
        verbose_name = verbose_name_plural = "審査員"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user} ({self.get_specialty_display()})"

    @property
    def is_doctor(self) -> bool:
        return self.specialty != Specialty.LAW
