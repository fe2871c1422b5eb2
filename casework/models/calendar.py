"""The association's own calendar: the days its office is closed besides weekends and holidays."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..service_levels import LONGEST_CLOSING, Closures, closing_too_long

#: The dates a closing may fall on: a year typed wrong (0206, 9999) is refused, not stored.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class ClosingPeriod(models.Model):
    """Days the office is closed (年末年始, a company holiday …), which do not count as business
    days for the service levels (casework.service_levels).

    Entered as dates, so that an editor picks them from a calendar; a yearly period uses only
    their month and day, and may run over the new year (29 December to 3 January). Saving,
    changing or deleting one moves the due times of the responses still owed
    (service_level_records.response_due_times_recompute).
    """

    name = models.CharField("名称", max_length=100)
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日", help_text="この日も休業日に含みます。")
    yearly = models.BooleanField(
        "毎年繰り返す", default=True, help_text="年は無視し、毎年同じ月日を休業日とします。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "協会の休業日"
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.span}）"

    @property
    def span(self) -> str:
        """「毎年 12月29日〜1月3日」, 「2026年8月11日〜8月14日」: the year only where it counts."""
        if self.yearly:
            return f"毎年 {self.starts_on:%-m月%-d日}〜{self.ends_on:%-m月%-d日}"
        if self.starts_on.year == self.ends_on.year:
            return f"{self.starts_on:%Y年%-m月%-d日}〜{self.ends_on:%-m月%-d日}"
        return f"{self.starts_on:%Y年%-m月%-d日}〜{self.ends_on:%Y年%-m月%-d日}"

    def clean(self):
        out_of_range = {
            name: f"{FIRST_DAY:%Y年}から{LAST_DAY:%Y年}までの日付を入力してください。"
            for name in ("starts_on", "ends_on")
            if getattr(self, name) and not FIRST_DAY <= getattr(self, name) <= LAST_DAY
        }
        if out_of_range:
            raise ValidationError(out_of_range)
        if not (self.starts_on and self.ends_on):
            return
        if self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "終了日は開始日以降にしてください。"})
        if self.ends_on - self.starts_on >= LONGEST_CLOSING:
            raise ValidationError(
                {"ends_on": f"1つの休業期間は{LONGEST_CLOSING.days}日以内にしてください。"}
            )
        others = ClosingPeriod.objects.exclude(pk=self.pk) if self.pk else ClosingPeriod.objects
        first = closing_too_long(
            ClosingPeriod.closures([*others.all(), self]), today=timezone.localdate()
        )
        if first:
            raise ValidationError(
                f"ほかの休業日や土日・祝日と続き、{first:%Y年%-m月%-d日}から1年を超えて"
                "営業日がなくなります。期間を見直してください。"
            )

    @staticmethod
    def closures(periods) -> Closures:
        """The pure calendar the service-level rules take, from ClosingPeriod rows."""
        yearly, dates = [], []
        for period in periods:
            if period.yearly:
                yearly.append((_month_day(period.starts_on), _month_day(period.ends_on)))
            else:
                dates.append((period.starts_on, period.ends_on))
        return Closures(yearly=tuple(yearly), dates=tuple(dates))


def _month_day(day: date) -> tuple[int, int]:
    return (day.month, day.day)
