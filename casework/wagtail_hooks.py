from wagtail import hooks

from .dashboard import dashboard_panels
from .viewsets import case_viewset


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return case_viewset


@hooks.register("construct_homepage_panels")
def add_casework_panels(request, panels):
    panels[:0] = dashboard_panels(request)
