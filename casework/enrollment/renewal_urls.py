"""The renewal (継続) pages of マイページ, mounted under /mypage/renewal/ by casework.urls."""

from django.urls import path

from . import renewal_views

app_name = "renewal"

# <number> is the 証券番号 of the policy renewed (Policy.number, unique; never a "/").
urlpatterns = [
    path("<code:number>/", renewal_views.renew, name="renew"),
    path("<code:number>/received/", renewal_views.received, name="received"),
]
