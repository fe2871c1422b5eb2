from django.db import models


class SynonymGroup(models.Model):
    """Names that mean the same thing (ボトックス = ボツリヌストキシン注射), optionally under a
    broader term (埋没法 under 二重瞼). Editors keep this list; every search reads it."""

    term = models.CharField("語", max_length=100, unique=True)
    synonyms = models.TextField("同義語（1行に1語）", blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name="上位語",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
        help_text="例: 埋没法の上位語は二重瞼（二重瞼で検索すると埋没法の事例も見つかります）",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "同義語"
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def variants(self) -> list[str]:
        return [self.term, *(line.strip() for line in self.synonyms.splitlines() if line.strip())]


class PrecedentEntry(models.Model):
    """One past case in the database backend's index (see search/backends/database.py).

    Only what search needs: never the patient, only scrubbed text.
    """

    key = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=64)
    claim_date = models.DateField(null=True)
    claim_year = models.PositiveSmallIntegerField(null=True, db_index=True)
    procedure_field = models.CharField(max_length=32, db_index=True)
    procedure = models.CharField(max_length=100, db_index=True)
    # " code code " so that one complaint type can be matched on every database.
    complaint_codes = models.CharField(max_length=200)
    outcome = models.CharField(max_length=32, db_index=True)
    payout_yen = models.PositiveBigIntegerField(null=True)
    payout_band = models.CharField(max_length=32, db_index=True)
    is_open = models.BooleanField(default=False, db_index=True)
    text = models.TextField()
    # PrecedentDocument.owner; kept so that filter_terms can be derived from the row again.
    owner = models.CharField(max_length=64, blank=True, default="")
    terms = models.TextField()  # analysed text plus synonym-group tokens
    term_count = models.PositiveIntegerField(default=0)  # for ranking: shorter cases first
    # documents.filter_token of each filter value; indexed with the terms, never shown.
    filter_terms = models.TextField(default="")

    class Meta:
        # Broad queries read matches shortest first (see backends/sql.py) and stop after a page.
        indexes = [models.Index(fields=["term_count", "id"], name="search_precedent_length")]

    def __str__(self) -> str:
        return self.label


class TermStat(models.Model):
    """How many indexed cases contain each analysed term (the database backend keeps it in step).

    Searching reads it to tell telling words from words most narratives share (患者, 説明), so
    that a search is relaxed by dropping the commonest words first and never scans most of the
    index for them.
    """

    term = models.CharField(max_length=255, primary_key=True)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} ({self.documents})"
