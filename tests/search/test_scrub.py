"""Nothing that identifies a patient survives scrubbing."""

from hypothesis import given
from hypothesis import strategies as st

from search.scrub import PLACEHOLDER, scrub


def test_phone_numbers_emails_postal_codes_and_the_name_are_removed():
    text = (
        "佐藤 花子さん（090-1234-5678、hanako.sato@example.jp、〒100-0001）から電話。"
        "花子さんは０３（１２３４）５６７８にも連絡してほしいとのこと。佐藤様は返金を希望。"
    )
    scrubbed = scrub(text, names=("佐藤 花子",))
    for secret in ("佐藤", "花子", "090-1234-5678", "hanako.sato", "100-0001", "1234", "5678"):
        assert secret not in scrubbed, secret
    assert "返金を希望" in scrubbed and PLACEHOLDER in scrubbed


def test_medical_content_and_amounts_are_kept():
    text = "2026年3月20日、ヒアルロン酸1.0ccを注入。費用は100,000円。"
    assert scrub(text, names=("佐藤 花子",)) == text


@given(st.from_regex(r"0[5789]0-\d{4}-\d{4}", fullmatch=True))
def test_any_mobile_number_is_removed(number):
    assert number not in scrub(f"患者の番号は{number}です")


@given(st.from_regex(r"[a-z][a-z0-9.]{0,10}@[a-z]{2,8}\.(jp|com|ne\.jp)", fullmatch=True))
def test_any_email_address_is_removed(address):
    assert address not in scrub(f"連絡先 {address} まで")
