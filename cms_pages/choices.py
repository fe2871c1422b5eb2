from django.db import models


class CommitteeRole(models.TextChoices):
    """Board roles in the order the association lists them."""

    REPRESENTATIVE_DIRECTOR = "representative_director", "代表理事"
    CHAIR_DIRECTOR = "chair_director", "会長理事"
    EXECUTIVE_DIRECTOR = "executive_director", "専務理事"
    DIRECTOR = "director", "理事"
    AUDITOR = "auditor", "監事"


class CommitteeTitle(models.TextChoices):
    """The title shown beside the role (理事長 坪井 良治)."""

    PRESIDENT = "president", "理事長"
    VICE_CHAIR = "vice_chair", "副会長"
    VICE_PRESIDENT = "vice_president", "副理事長"
