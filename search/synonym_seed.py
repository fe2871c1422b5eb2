"""The synonym list the association starts from; editors extend it in the admin (同義語).

(term, synonyms, narrower terms). Narrower terms become groups of their own under the term.
"""

SYNONYM_SEED = [
    ("ボツリヌストキシン注射", ["ボトックス", "ボトックス注射", "ボツリヌス注射"], []),
    # 二重 alone is normalised to 2 重 by the analyser; in this field it means 二重瞼.
    ("二重瞼", ["二重まぶた", "二重整形", "二重"], ["埋没法", "切開法", "全切開"]),
    ("ヒアルロン酸注射", ["ヒアルロン酸", "ヒアルロン酸注入", "フィラー", "フィラー注入"], []),
    ("レーザー脱毛", ["医療脱毛", "脱毛"], []),
    ("脂肪吸引", ["吸引法"], []),
    ("豊胸", ["豊胸手術", "豊胸術"], ["シリコンバッグ", "脂肪注入豊胸"]),
    ("隆鼻", ["隆鼻術"], ["鼻プロテーゼ"]),
    ("シミ治療", ["シミ取り", "しみ取り", "しみ取りレーザー", "しみ治療"], []),
    ("ピーリング", ["ケミカルピーリング"], []),
    ("点滴治療", ["美容点滴", "点滴"], []),
    ("リフトアップ手術", ["フェイスリフト", "リフトアップ"], []),
    ("光治療", ["IPL", "フォトフェイシャル"], []),
    ("腫れ", ["腫脹", "むくみ", "浮腫"], []),
    ("内出血", ["あざ", "青あざ", "皮下出血"], []),
    ("しこり", ["硬結"], []),
    ("左右差", ["非対称"], []),
    ("熱傷", ["やけど", "火傷"], ["化学熱傷"]),
    ("色素沈着", ["黒ずみ"], []),
    ("感染", ["化膿", "膿"], []),
    ("血流障害", ["皮膚壊死", "壊死", "血管閉塞", "血管塞栓", "虚血"], []),
    ("眼瞼下垂", ["まぶたが下がる", "瞼が下がる"], []),
    ("凹凸", ["デコボコ", "でこぼこ"], []),
    ("引きつれ", ["引き攣れ", "ひきつれ"], []),
    ("HIFU", ["ハイフ"], []),
    ("水疱", ["水ぶくれ"], []),
    ("傷跡", ["瘢痕", "傷あと"], []),
    ("顔面神経麻痺", ["神経麻痺"], []),
    ("かぶれ", ["接触皮膚炎"], []),
    # The patient's behaviour, as reviewers search for it.
    ("訴訟", ["裁判", "弁護士", "代理人", "法的措置"], []),
    ("ネット書き込み", ["口コミ", "SNS", "掲示板", "インスタグラム", "ブログ"], []),
    ("希死念慮", ["死にたい", "自殺", "消えてしまいたい"], []),
]


def synonym_seed_load(group_model) -> None:
    """Create the seed groups that are missing (idempotent; usable from a migration)."""
    for term, synonyms, narrower in SYNONYM_SEED:
        group, _ = group_model.objects.get_or_create(
            term=term, defaults={"synonyms": "\n".join(synonyms)}
        )
        for child in narrower:
            group_model.objects.get_or_create(term=child, defaults={"broader": group})
