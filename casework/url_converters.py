"""Path converters of the portal's URLs."""

from django.urls import register_converter
from django.urls.converters import StringConverter


class CodeConverter(StringConverter):
    """A 受付番号 or 証券番号 in a path: any text but "/" and control characters. PostgreSQL
    refuses a NUL in a query (a 500), and no number has one, so such a path is simply not found."""

    regex = r"[^/\x00-\x1f\x7f]+"


register_converter(CodeConverter, "code")
