"""The application's steps, with what was typed kept in the session.

Every POST stores the raw values of its step, valid or not, before anything else happens, so
neither a validation error nor the 戻る button loses a character. A step is shown only when the
steps before it are valid (they are validated again from the session, never trusted).
"""

from django.utils.datastructures import MultiValueDict

from .forms import ApplicantForm, ConfirmForm, CourseForm, DoctorForm, FacilityForm, StepForm

SESSION_KEY = "enrollment"
# What is kept of a posted value: far more than any field allows (254 characters at most), far
# less than a hostile POST could otherwise put in the session (megabytes per request).
STORED_VALUE_CHARS = 1000
STORED_VALUES_PER_FIELD = 20
STEPS = {
    "course": CourseForm,
    "applicant": ApplicantForm,
    "facility": FacilityForm,
    "doctor": DoctorForm,
    "confirm": ConfirmForm,
}
ORDER = list(STEPS)


class Wizard:
    def __init__(self, session):
        self.session = session
        self.raw: dict[str, dict[str, list[str]]] = session.get(SESSION_KEY, {})

    def store(self, step: str, post) -> None:
        """Keep what was posted for `step`'s fields (whatever it is worth, within bounds)."""
        names = STEPS[step].base_fields
        self.raw[step] = {
            name: [
                value[:STORED_VALUE_CHARS] for value in post.getlist(name)[:STORED_VALUES_PER_FIELD]
            ]
            for name in names
            if name in post
        }
        self.session[SESSION_KEY] = self.raw

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def _context(self, step: str) -> dict:
        index = ORDER.index(step)
        context = {}
        if index > 0 and (course := self._valid("course")):
            context["course"] = course.cleaned_data["course"]
        if index > 1 and (applicant := self._valid("applicant")):
            context["applicant_role"] = applicant.cleaned_data["applicant_role"]
        return context

    def _valid(self, step: str) -> StepForm | None:
        form = STEPS[step](MultiValueDict(self.raw.get(step, {})), **self._context(step))
        return form if form.is_valid() else None

    def bound_form(self, step: str, post) -> StepForm:
        return STEPS[step](post, **self._context(step))

    def unbound_form(self, step: str) -> StepForm:
        """A fresh form showing what was stored for `step`, without error messages."""
        form = STEPS[step](**self._context(step))
        stored = self.raw.get(step, {})
        for name, field in form.fields.items():
            if name in stored:
                values = stored[name]
                multiple = getattr(field.widget, "allow_multiple_selected", False)
                form.initial[name] = values if multiple else (values[0] if values else "")
        return form

    def first_invalid_before(self, step: str) -> str | None:
        """The first step before `step` that is not (or no longer) valid."""
        return next((s for s in ORDER[: ORDER.index(step)] if self._valid(s) is None), None)

    def application_fields(self) -> dict:
        """Application's fields from every step; call once first_invalid_before("confirm") is None."""
        fields = {}
        for step in ORDER[:-1]:
            fields.update(self._valid(step).application_fields())
        return fields

    @staticmethod
    def previous(step: str) -> str | None:
        index = ORDER.index(step)
        return ORDER[index - 1] if index else None

    @staticmethod
    def following(step: str) -> str:
        return ORDER[ORDER.index(step) + 1]
