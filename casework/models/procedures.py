from django.db import models

from casework.choices import Specialty

from ..choices import ProcedureField

# The reviewing specialty a decision needs for each field; None: any doctor.
REQUIRED_SPECIALTY = {
    ProcedureField.COSMETIC_SURGERY: Specialty.PLASTIC_SURGERY,
    ProcedureField.COSMETIC_DERMATOLOGY: Specialty.DERMATOLOGY,
    ProcedureField.COSMETIC_INTERNAL: None,
    ProcedureField.OTHER: None,
}


def opinions_suffice(field: str, specialties) -> bool:
    """Whether submitted opinions of these `specialties` let the chair decide a case of procedure
    `field`: two at least, one of them by a doctor of the field's required specialty (any doctor
    where none is required)."""
    specialties = list(specialties)
    required = REQUIRED_SPECIALTY[field]
    specialist = any(s == required if required else s != Specialty.LAW for s in specialties)
    return len(specialties) >= 2 and specialist


class Procedure(models.Model):
    """A procedure of the taxonomy seeded from the association's site (plus その他)."""

    field = models.CharField("分野", max_length=32, choices=ProcedureField.choices)
    name = models.CharField("施術", max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "施術"
        ordering = ["sort_order"]
        constraints = [models.UniqueConstraint(fields=["field", "name"], name="unique_procedure")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}：{self.name}"

    @property
    def required_specialty(self) -> str | None:
        return REQUIRED_SPECIALTY[self.field]
