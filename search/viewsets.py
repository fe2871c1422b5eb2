from wagtail.admin.viewsets.model import ModelViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(ModelViewSet):
    """The synonym list: the editors' lever on what a search by one name also finds."""

    model = SynonymGroup
    icon = "list-ul"
    menu_label = "同義語"
    menu_order = 300
    add_to_admin_menu = True
    form_fields = ["term", "synonyms", "broader"]
    list_display = ["term", "synonyms", "broader"]
    search_fields = ["term", "synonyms"]
    search_backend_name = None
    copy_view_enabled = False


synonym_viewset = SynonymGroupViewSet("synonyms", url_prefix="synonyms")
