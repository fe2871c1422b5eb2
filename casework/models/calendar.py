"""The association's own calendar: the days its office is closed besides weekends and holidays."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from ..service_levels import Closures


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
        if self.yearly:
            span = f"毎年 {self.starts_on:%-m月%-d日}〜{self.ends_on:%-m月%-d日}"
        else:
            span = f"{self.starts_on:%Y年%-m月%-d日}〜{self.ends_on:%Y年%-m月%-d日}"
        return f"{self.name}（{span}）"

    def clean(self):
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "終了日は開始日以降にしてください。"})
            if self.yearly and (self.ends_on - self.starts_on).days >= 365:
                raise ValidationError({"ends_on": "毎年の休業期間は1年未満にしてください。"})

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
