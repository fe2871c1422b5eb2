"""StreamField blocks of the public site. Each renders with templates/blocks/<name>.html and has a
Japanese `Meta.label`, which the page editor shows (Wagtail would otherwise show the English name)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class LinkBlock(blocks.StructBlock):
    """A button to a page of the site, or to one of the site's own applications (which are not
    pages: the online application lives at /join/)."""

    label = blocks.CharBlock(label="ボタンの文言")
    page = blocks.PageChooserBlock(label="リンク先ページ", required=False)
    anchor = blocks.CharBlock(
        label="ページ内の位置（任意）", required=False, help_text="例: join（#は不要）"
    )
    url = blocks.RegexBlock(
        label="リンク先のパス（ページ以外）",
        regex=r"^/[\w\-/]*$",
        required=False,
        help_text="ページの代わりに、例: /join/（オンライン加入）",
        error_messages={"invalid": "/ で始まるサイト内のパスを入力してください。"},
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = ValidationError(
                "リンク先ページか、リンク先のパスのどちらか一方を指定してください。"
            )
            raise StructBlockValidationError(block_errors={"page": message})
        return value

    class Meta:
        label = "ボタン"
        icon = "link"
        template = "blocks/link_block.html"
        description = "ページへのボタン"
        preview_value = {"label": "今すぐ資料請求"}


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="見出し（任意）", required=False)
    links = blocks.ListBlock(LinkBlock(), label="ボタン")

    class Meta:
        label = "申し込みボタン"
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = "資料請求・オンライン加入などのボタン"
        preview_value = {
            "links": [{"label": "今すぐ資料請求"}, {"label": "オンライン加入はこちら"}]
        }


class HeroBlock(blocks.StructBlock):
    headline = blocks.TextBlock(label="見出し", help_text="改行はそのまま表示されます")
    quote = blocks.CharBlock(label="メッセージの一言", required=False)
    message = blocks.RichTextBlock(label="協会からのメッセージ", features=["bold", "link"])

    class Meta:
        label = "トップの見出し"
        icon = "title"
        template = "blocks/hero_block.html"
        description = "トップの見出しと協会のメッセージ"
        preview_value = {
            "headline": "美容医療に精通した\nベテラン医師チームと\n保険会社があんしんサポート",
            "quote": "「日本国内で、保険のない医療なんてありえない」",
        }


class PointBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="ラベル", help_text="例: Point1")
    title = blocks.CharBlock(label="ポイント")
    footnote_mark = blocks.CharBlock(label="注記記号（任意）", required=False, help_text="例: ※1")
    heading = blocks.CharBlock(label="小見出し")
    text = blocks.TextBlock(label="本文")

    class Meta:
        label = "ポイント"
        icon = "pick"
        template = "blocks/point_block.html"
        description = "ポイント1件"
        preview_value = {"label": "Point1", "title": "美容医療に特化した医師賠償責任保険"}


class FootnoteBlock(blocks.StructBlock):
    mark = blocks.CharBlock(label="記号", help_text="例: ※1")
    text = blocks.CharBlock(label="注記")

    class Meta:
        label = "注記"
        icon = "info-circle"
        template = "blocks/footnote_block.html"
        description = "注記"
        preview_value = {"mark": "※1", "text": "賠償責任保険普通保険約款"}


class PointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="見出し（任意）", required=False)
    points = blocks.ListBlock(PointBlock(), label="ポイント")
    footnotes = blocks.ListBlock(FootnoteBlock(), label="注記", required=False)

    class Meta:
        label = "ポイント一覧"
        icon = "list-ol"
        template = "blocks/points_block.html"
        description = "3つのポイントと注記"
        preview_value = {"points": [{"label": "Point1", "title": "美容医療に特化"}]}


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="見出し")
    subheading = blocks.TextBlock(label="小見出し（任意）", required=False)
    body = blocks.RichTextBlock(
        label="本文", required=False, features=["h3", "bold", "ol", "ul", "link"]
    )

    class Meta:
        label = "見出しと本文"
        icon = "doc-full"
        template = "blocks/section_block.html"
        description = "見出しと本文の段落"
        preview_value = {"heading": "相談・補償・連携のサポート体制"}


class ProcedureFieldBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="分野", help_text="例: 美容外科")
    area = blocks.CharBlock(label="領域", help_text="例: 形成外科分野")
    procedures = blocks.TextBlock(label="主な施術", help_text="改行はそのまま表示されます")

    class Meta:
        label = "分野と施術"
        icon = "tag"
        template = "blocks/procedure_field_block.html"
        description = "補償の対象となる分野と施術"
        preview_value = {"name": "美容外科", "area": "形成外科分野", "procedures": "二重瞼、隆鼻"}


class CoverageBlock(blocks.StructBlock):
    heading = blocks.TextBlock(label="見出し")
    fields = blocks.ListBlock(ProcedureFieldBlock(), label="分野")

    class Meta:
        label = "補償の対象"
        icon = "folder-open-inverse"
        template = "blocks/coverage_block.html"
        description = "補償の対象（美容外科・美容皮膚科・美容内科）"
        preview_value = {"heading": "美容を唯一の目的とする医療行為をカバーします"}


class CourseBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="コース名")
    insured = blocks.CharBlock(label="補償の対象", help_text="例: 施設（病院・クリニック）")
    description = blocks.TextBlock(label="説明")

    class Meta:
        label = "加入コース"
        icon = "user"
        template = "blocks/course_block.html"
        description = "加入コース"
        preview_value = {"name": "開設者コース", "insured": "施設（病院・クリニック）"}


class CoursesBlock(blocks.StructBlock):
    heading = blocks.TextBlock(label="見出し")
    lead = blocks.TextBlock(label="リード文")
    courses = blocks.ListBlock(CourseBlock(), label="コース")
    payout_limits = blocks.ListBlock(
        blocks.IntegerBlock(min_value=1, label="金額（円）"), label="支払限度額（1事故あたり・円）"
    )
    deductible = blocks.IntegerBlock(min_value=0, label="免責金額（円）")
    closing = blocks.TextBlock(label="結びの文", required=False)
    note = blocks.TextBlock(label="注意書き", required=False)

    class Meta:
        label = "加入コースと支払限度額"
        icon = "table"
        template = "blocks/courses_block.html"
        description = "2つのコースと支払限度額・免責金額"
        preview_value = {
            "heading": "ご安心ください。",
            "payout_limits": [1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000],
            "deductible": 100_000,
        }


class TroubleBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="種類（任意）", required=False, help_text="例: 仕上がりに不満")
    text = blocks.TextBlock(label="トラブルの例")

    class Meta:
        label = "トラブルの例"
        icon = "warning"
        template = "blocks/trouble_block.html"
        description = "よくあるトラブルの例"
        preview_value = {"label": "仕上がりに不満", "text": "施術費用の返還を求められている。"}


class ConsultationBlock(blocks.StructBlock):
    heading = blocks.TextBlock(label="見出し")
    subheading = blocks.CharBlock(label="小見出し", required=False)
    title = blocks.CharBlock(label="サービス名の見出し")
    note = blocks.TextBlock(label="注記", required=False)
    troubles = blocks.ListBlock(TroubleBlock(), label="トラブルの例")
    body = blocks.RichTextBlock(label="本文", features=["h3", "bold", "ul", "link"])

    class Meta:
        label = "苦情相談サービス"
        icon = "help"
        template = "blocks/consultation_block.html"
        description = "苦情相談サービスとトラブルの例"
        preview_value = {"heading": "苦情相談サービス", "title": "万全あんしんサポート"}


class TestimonialBlock(blocks.StructBlock):
    speaker = blocks.CharBlock(label="お名前の表記", help_text="例: 医師A様")
    text = blocks.TextBlock(label="お声")

    class Meta:
        label = "会員様の声"
        icon = "openquote"
        template = "blocks/testimonial_block.html"
        description = "会員様からのお声"
        preview_value = {"speaker": "医師A様", "text": "ありがとうございました。"}


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="見出し")
    intro = blocks.RichTextBlock(label="前文", required=False, features=["bold"])
    testimonials = blocks.ListBlock(TestimonialBlock(), label="お声")

    class Meta:
        label = "会員様の声の一覧"
        icon = "group"
        template = "blocks/testimonials_block.html"
        description = "会員様からのお声の一覧"
        preview_value = {"heading": "会員様からは感謝のお声をいただいております"}


class SocietiesBlock(blocks.StructBlock):
    heading = blocks.TextBlock(label="見出し")
    caption = blocks.CharBlock(label="表題", required=False)
    societies = blocks.ListBlock(blocks.CharBlock(label="学会名"), label="学会")

    class Meta:
        label = "加入条件の学会"
        icon = "site"
        template = "blocks/societies_block.html"
        description = "加入の条件となる学会"
        preview_value = {"heading": "5つの学会", "societies": ["日本皮膚科学会"]}


class BaseStreamBlock(blocks.StreamBlock):
    """Blocks every free-form body on the site may use."""

    section = SectionBlock()
    call_to_action = CallToActionBlock()


class HomeStreamBlock(BaseStreamBlock):
    hero = HeroBlock()
    points = PointsBlock()
    coverage = CoverageBlock()
    courses = CoursesBlock()
    consultation = ConsultationBlock()
    societies = SocietiesBlock()
    testimonials = TestimonialsBlock()


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="質問")
    answer = blocks.RichTextBlock(label="回答", features=["bold", "ul", "ol", "link"])

    class Meta:
        label = "質問と回答"
        icon = "help"
        template = "blocks/faq_item_block.html"
        description = "質問と回答"
        preview_value = {"question": "加入の条件を教えて下さい。"}


class FaqCategoryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="分類")
    questions = blocks.StreamBlock([("question", FaqItemBlock())], label="質問")

    class Meta:
        label = "質問の分類"
        icon = "folder-open-1"
        template = "blocks/faq_category_block.html"
        description = "質問の分類"
        preview_value = {"title": "美容医療・医師賠償補償制度への加入に関して"}
