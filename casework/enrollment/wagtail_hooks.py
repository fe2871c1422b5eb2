from wagtail import hooks

from .viewsets import application_viewset


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return application_viewset
