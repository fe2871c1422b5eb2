"""The checks every state-machine service makes before it takes a transition."""

import django_fsm as fsm
from django.core.exceptions import PermissionDenied, ValidationError


def transition_allowed(*, instance, name: str, by):
    """The bound transition method `name` of `instance`, once `by` may take it now.

    Raises ValidationError (Japanese) when there is no such transition from the current state or
    its conditions do not hold, and PermissionDenied when `by` may not take it.
    """
    method = getattr(instance, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValidationError("この操作はありません。")
    meta = method._django_fsm
    if not fsm.can_proceed(method, check_conditions=False):
        raise ValidationError(
            f"「{instance.get_state_display()}」の{instance._meta.verbose_name}には"
            "この操作はできません。"
        )
    if not meta.has_transition_perm(instance, instance.state, by):
        raise PermissionDenied("この操作を行う権限がありません。")
    if not fsm.can_proceed(method):
        unmet = [c for c in meta.get_transition(instance.state).conditions if not c(instance)]
        raise ValidationError(
            [getattr(c, "unmet_message", "条件を満たしていません。") for c in unmet]
        )
    return method
