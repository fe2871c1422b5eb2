from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor devices (authenticator app and backup codes), e.g. after a "
        "lost phone. The user sets up a new authenticator app at the next admin login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}") from exc
        totp = TOTPDevice.objects.filter(user=user)
        static = StaticDevice.objects.filter(user=user)
        counts = totp.count(), static.count()
        totp.delete()
        static.delete()
        totp, static = counts
        self.stdout.write(f"Removed {totp} TOTP and {static} backup-code device(s) of {username}.")
