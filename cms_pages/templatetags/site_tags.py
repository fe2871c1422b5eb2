"""Template filters of the public site."""

from django import template

register = template.Library()

_MAN = 10_000


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
    sign = "-" if value < 0 else ""
    man, rest = divmod(abs(value), _MAN)
    if man and not rest:
        return f"{sign}{man:,}万円"
    return f"{sign}{abs(value):,}円"
