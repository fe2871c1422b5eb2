"""Login e-mail addresses. Members log in with theirs (accounts.backends), and Django's user table
does not keep them unique, so whatever makes a login (a colleague's invitation, an approved
application) takes only an address no account has, checked under a lock on the address."""

from django.contrib.auth import get_user_model
from django.db import connection


def address_lock(email: str) -> None:
    """Until the end of the transaction, queue anyone else making a login with `email`: two
    facilities inviting one address at once, or an invitation and an approval. On PostgreSQL a
    transaction-level advisory lock; SQLite writes one transaction at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [email.casefold()])


def address_taken(email: str) -> bool:
    """Whether any account, staff included, has `email` (in any case)."""
    return get_user_model().objects.filter(email__iexact=email).exists()
