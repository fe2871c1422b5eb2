from wagtail import hooks

from .viewsets import synonym_viewset


@hooks.register("register_admin_viewset")
def register_synonym_viewset():
    return synonym_viewset
