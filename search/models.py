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
