from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.enrollment.reminders import reminders_deliver, reminders_due


class Command(BaseCommand):
    help = (
        "E-mail the renewal round's reminder due today (Asia/Tokyo) to the administrators of "
        "each facility that has not renewed. Run daily; a second run the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as on this day (YYYY-MM-DD) instead of today, e.g. to catch up."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        plan = reminders_due(today=today)
        if plan.days_before is None:
            self.stdout.write(f"{today}: no reminder step is due (deadline {plan.deadline}).")
            return
        sent = reminders_deliver(plan=plan)
        self.stdout.write(
            f"{today}: {sent} reminder(s) sent for the step {plan.days_before} days before "
            f"the deadline {plan.deadline}."
        )
