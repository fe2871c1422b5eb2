"""Template filters of the public site."""

from django import template

from casework.rules import format_man_yen

register = template.Library()


@register.filter
def man_yen(value):
    """Whole yen as the association writes amounts: 10000000 → "1,000万円", 123456 → "123,456円".

    Integers only (never float). Amounts that are not whole 万 stay in 円. Anything that is not an
    integer (None, "", text) is returned unchanged so that a half-filled block still renders.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        return value
    return format_man_yen(value)
