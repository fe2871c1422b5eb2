from django import template

from ..accounts.names import display_name

register = template.Library()


@register.filter(name="display_name")
def display_name_filter(user) -> str:
    """{{ case.handler|display_name }}: 「日向 さやか」, or the login name when no name is set."""
    return display_name(user)
