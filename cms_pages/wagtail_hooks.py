"""Wagtail hooks of the public site."""

from wagtail import hooks

from casework.accounts.throttling import rate_limit_response

from .models import FormPage


@hooks.register("before_serve_page")
def rate_limit_form_submissions(page, request, serve_args, serve_kwargs):
    """資料請求 and any other form page: POSTs per client address are limited (GETs never)."""
    if isinstance(page, FormPage):
        return rate_limit_response(request, "request_form")
