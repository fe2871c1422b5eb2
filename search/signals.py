"""Deleting an indexed object (a case, an imported past case) removes its document from the index."""

from collections.abc import Callable

from django.db import transaction

from .backends import update_index


def unindex_on_delete(key_of: Callable) -> Callable:
    """A post_delete receiver that removes the deleted object's document once the deletion
    commits (a rolled-back deletion leaves the index as it was)."""

    def receiver(sender, instance, **kwargs):
        key = key_of(instance)
        transaction.on_commit(lambda: update_index(delete=[key]))

    return receiver
