"""協会概要 and お問い合わせ, from the association's site text only (the source gives no address,
telephone, hours or e-mail: those stay empty in the 連絡先 setting until the association fills
them in the admin). Data only; `cms_pages.services.site_content_load` makes the pages."""

from .association import ASSOCIATION_NAME, FIVE_SOCIETIES


def _fact(term: str, detail: str) -> tuple[str, dict]:
    return ("fact", {"term": term, "detail": detail})


ABOUT_PAGE = {
    "title": "協会概要",
    "slug": "about",
    "search_description": (
        "一般社団法人 日本美容医療リスクマネジメント協会の概要。2002年に共済会として設立、"
        "美容医療に特化した医師賠償補償制度、苦情相談サービス、医師と弁護士の審査会。"
    ),
    "intro": (
        "<p><b>「日本国内で、保険のない医療なんてありえない」</b></p>"
        "<p>私たちは、海外では当たり前に補償されている美容医療に対し、日本は遅れていると感じました。</p>"
    ),
}

ABOUT_FACTS = [
    _fact("名称", f"<p>{ASSOCIATION_NAME}</p>"),
    _fact(
        "設立",
        "<p>2002年（共済会「一般社団法人日本美容医療責任共済会」として設立）</p>",
    ),
    _fact(
        "目的",
        "<p>医師自身が事故やクレームを一人で抱え込まず相談できる会員制のサービス体制を整え、"
        "審査会と一体になって美容医療の知見を研鑽すること。</p>"
        "<p>有責・無責を問わず医療者が安心して診療にあたることができるよう「苦情・クレーム」の"
        "相談窓口を提供し、患者の被害に対しては消費者保護の志を持って迅速に賠償することを"
        "心がけています。</p>",
    ),
    _fact(
        "事業内容",
        "<ul>"
        "<li>美容医療・医師賠償補償制度（美容医療に特化した医師賠償責任保険。保険会社と商品化をすすめ、"
        "国の認可を得た補償制度です。開設者コース・施術医コース）</li>"
        "<li>苦情相談サービス（補償に付帯する無償サービス。加入中のご利用回数は無制限です）</li>"
        "<li>美容医療に精通したベテラン医師と弁護士で構成する審査会による医療過誤の審査と"
        "セカンドオピニオンの提供</li>"
        "</ul>",
    ),
    _fact(
        "5つの学会",
        "<p>5つの学会の会員の先生方、所属する美容クリニックの悩みごとを全力でサポートします。</p>"
        "<ul>" + "".join(f"<li>{society}</li>" for society in FIVE_SOCIETIES) + "</ul>",
    ),
]

CONTACT_PAGE = {
    "title": "お問い合わせ",
    "slug": "contact",
    "search_description": "一般社団法人 日本美容医療リスクマネジメント協会へのお問い合わせ先。",
    "intro": (
        "<p>美容医療・医師賠償補償制度、苦情相談サービス、オンライン加入についてのお問い合わせは、"
        "下記の連絡先までお寄せください。</p>"
        "<p>資料のご請求は資料請求フォームから承っております。ご質問は資料請求フォームの"
        "「ご質問・ご要望」欄からもお送りいただけます。よくあるご質問もあわせてご覧ください。</p>"
        '<p>会員さまの苦情・クレームのご相談は、<a href="/mypage/">マイページ</a>からご報告いただけます。'
        "</p>"
    ),
}

CONTACT_CTA = (
    "call_to_action",
    {
        "heading": "",
        "links": [
            {"label": "資料請求", "page": "request"},
            {"label": "よくあるご質問", "page": "faq"},
        ],
    },
)

#: The 連絡先 setting as first created: only the name, which the source gives.
CONTACT_SETTINGS = {"name": ASSOCIATION_NAME}

# Streams whose buttons link to other pages, by (page slug, field), as in association.py.
LINKED_STREAMS = {("contact", "closing"): [CONTACT_CTA]}
