"""Tests of change: PDSA cycles chained into ramps, each tied to the change package.

The fields follow IHI's PDSA worksheet (BRIEF §1.6, §2): Plan (objective, questions with a
prediction each, tasks, data plan, scale), Do (what happened, problems and surprises, dates),
Study (results, each prediction compared, what was learned) and Act — "Adjust" in collaboratives
that say so — (adopt, adapt, abandon or expand the scale, with the next steps).

Questions and tasks are small ordered lists stored on the cycle, so one versioned save covers the
whole worksheet (autosave and conflict detection stay simple) and history keeps every version.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# The order of the stages; a cycle moves forward one gate at a time.
STATES = ("planned", "doing", "studying", "decided")


def stage_label(state: str, vocab: dict[str, str]) -> str:
    """The stage's name in the collaborative's words: Plan, Do, Study, Act (or Adjust)."""
    return {
        "planned": "Plan",
        "doing": "Do",
        "studying": "Study",
        "decided": vocab.get("act", "Act"),
    }[state]


class Ramp(models.Model):
    """A series of linked cycles on one change idea, from a tiny test up to implementation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ADOPTED = "adopted", "Adopted"
        ABANDONED = "abandoned", "Abandoned"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="ramps")
    change_node = models.ForeignKey(
        "changes.ChangeNode",
        on_delete=models.RESTRICT,
        related_name="ramps",
        help_text="The change idea the ramp tests.",
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "change_node__order", "id"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        code = self.change_node.code if self.change_node_id else ""
        return f"{code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("pdsa:ramp", args=[self.team.collaborative.slug, self.pk])


class PDSACycle(models.Model):
    """One test of change, following IHI's PDSA worksheet."""

    class State(models.TextChoices):
        PLANNED = "planned", "Plan"
        DOING = "doing", "Do"
        STUDYING = "studying", "Study"
        DECIDED = "decided", "Act"

    class Purpose(models.TextChoices):
        COLLECT = "collect", "Collect information"
        DEVELOP = "develop", "Develop a change"
        TEST = "test", "Test a change"
        IMPLEMENT = "implement", "Implement a change"

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"
        EXPAND = "expand_scale", "Expand the scale"

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        PARTLY = "partly", "Partly confirmed"
        NOT = "not", "Not confirmed"

    # Decisions that carry the ramp on to another cycle.
    CONTINUING = frozenset({"adapt", "expand_scale"})

    ramp = models.ForeignKey(Ramp, on_delete=models.CASCADE, related_name="cycles")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="pdsa_cycles")
    cycle_no = models.PositiveSmallIntegerField("cycle number", default=1)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    state_changed_at = models.DateTimeField(default=timezone.now)

    # Plan
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.TEST)
    objective = models.TextField(blank=True, help_text="What is this cycle trying to learn?")
    nodes = models.ManyToManyField(
        "changes.ChangeNode",
        related_name="pdsa_cycles",
        verbose_name="change ideas",
        help_text="The change-package ideas (or components) this cycle tests.",
    )
    measures = models.ManyToManyField(
        "measures.Measure", blank=True, related_name="pdsa_cycles", verbose_name="linked measures"
    )
    questions = models.JSONField(
        "questions and predictions",
        default=list,
        blank=True,
        help_text="[{question, prediction, outcome, comparison}], in order.",
    )
    tasks = models.JSONField(
        "plan tasks", default=list, blank=True, help_text="[{what, who, when, where}], in order."
    )
    data_plan = models.TextField("data-collection plan", blank=True)
    scale = models.CharField(
        max_length=200, blank=True, help_text='How small the test is, e.g. "2 cases, 1 worker".'
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)

    # Do
    start = models.DateField("started on", null=True, blank=True)
    end = models.DateField("ended on", null=True, blank=True)
    do_notes = models.TextField("what happened", blank=True)
    do_problems = models.TextField("problems and unexpected observations", blank=True)

    # Study
    results = models.TextField(blank=True, help_text="The data: counts, times, what you saw.")
    learned = models.TextField("what we learned", blank=True)

    # Act / Adjust
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    next_steps = models.TextField(blank=True)
    implementation_note = models.TextField(
        blank=True, help_text="For adopt: how the change will be implemented and sustained."
    )
    decided_on = models.DateField(null=True, blank=True)

    cloned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    # Derived on every save, for search and for fast roll-ups over thousands of cycles.
    search_text = models.TextField(blank=True, editable=False)
    n_predictions = models.PositiveSmallIntegerField(default=0, editable=False)
    n_compared = models.PositiveSmallIntegerField(default=0, editable=False)
    n_confirmed = models.PositiveSmallIntegerField(default=0, editable=False)
    n_partly = models.PositiveSmallIntegerField(default=0, editable=False)

    history = HistoricalRecords(
        m2m_fields=[nodes, measures],
        excluded_fields=[
            "search_text",
            "n_predictions",
            "n_compared",
            "n_confirmed",
            "n_partly",
        ],
    )

    DERIVED_FIELDS = ("search_text", "n_predictions", "n_compared", "n_confirmed", "n_partly")
    TEXT_FIELDS = (
        "title",
        "objective",
        "scale",
        "data_plan",
        "do_notes",
        "do_problems",
        "results",
        "learned",
        "next_steps",
        "implementation_note",
    )

    class Meta:
        verbose_name = "PDSA cycle"
        ordering = ["ramp_id", "cycle_no"]
        constraints = [
            models.UniqueConstraint(fields=["ramp", "cycle_no"], name="unique_cycle_in_ramp")
        ]
        indexes = [
            models.Index(fields=["team", "state"]),
            models.Index(fields=["start"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} — cycle {self.cycle_no}"

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pdsa:detail", args=[self.team.collaborative.slug, self.pk])

    # Derived values -------------------------------------------------------------------------

    def refresh_derived(self) -> None:
        """Recompute the search text and the prediction tallies from the worksheet."""
        predictions = [q for q in self.questions or [] if (q.get("prediction") or "").strip()]
        outcomes = [q.get("outcome") or "" for q in predictions]
        self.n_predictions = len(predictions)
        self.n_compared = sum(1 for o in outcomes if o)
        self.n_confirmed = outcomes.count(self.Outcome.CONFIRMED)
        self.n_partly = outcomes.count(self.Outcome.PARTLY)
        parts = [str(getattr(self, name) or "") for name in self.TEXT_FIELDS]
        for q in self.questions or []:
            parts += [q.get("question") or "", q.get("prediction") or "", q.get("comparison") or ""]
        for t in self.tasks or []:
            parts += [t.get("what") or "", t.get("who") or "", t.get("where") or ""]
        self.search_text = "\n".join(p.strip() for p in parts if p and p.strip())

    @property
    def state_index(self) -> int:
        return STATES.index(self.state)

    def reached(self, state: str) -> bool:
        return self.state_index >= STATES.index(state)

    @property
    def is_closed(self) -> bool:
        """Decided, with the decision written down."""
        return self.state == self.State.DECIDED and bool(self.decision)

    @property
    def prediction_rows(self) -> list[dict]:
        return [q for q in self.questions or [] if (q.get("prediction") or "").strip()]

    @property
    def confirmed_share(self) -> float | None:
        """Share of compared predictions that held (a partly confirmed one counts half)."""
        if not self.n_compared:
            return None
        return (self.n_confirmed + 0.5 * self.n_partly) / self.n_compared

    @property
    def reference_date(self) -> date:
        """When the test happened (or was planned), for ordering and filters."""
        return self.start or self.planned_start or timezone.localdate(self.created_at)

    # Gates ----------------------------------------------------------------------------------

    def gate_problems(self, to_state: str) -> list[str]:
        """What is missing before the cycle may enter `to_state`; empty when the gate opens.

        Gates follow BRIEF §3.3: Do needs a plan with a prediction; Study needs notes on what
        happened; Act needs results compared with each prediction.
        """
        problems: list[str] = []
        if to_state == self.State.DOING:
            if not self.nodes.exists():
                problems.append("Link the cycle to at least one change idea of the change package.")
            if not self.objective.strip():
                problems.append("Write the objective: what is this cycle trying to learn?")
            numbered = list(enumerate(self.questions or [], start=1))
            if not any((q.get("question") or "").strip() for _, q in numbered):
                problems.append(
                    "Add at least one question the test should answer, with a prediction."
                )
            for i, q in numbered:
                if (q.get("question") or "").strip() and not (q.get("prediction") or "").strip():
                    problems.append(f"Write a prediction for question {i}.")
            tasks = [t for t in self.tasks or [] if any((v or "").strip() for v in t.values())]
            if not tasks:
                problems.append(
                    "Plan the test: add at least one task with what, who, when and where."
                )
            for i, t in enumerate(tasks, start=1):
                gaps = [k for k in ("what", "who", "when", "where") if not (t.get(k) or "").strip()]
                if gaps:
                    problems.append(f"Task {i} needs {' and '.join(gaps)}.")
            if not self.data_plan.strip():
                problems.append("Write the data-collection plan: what you will count, and how.")
            if not self.scale.strip():
                problems.append('Give the scale of the test, e.g. "1 intake officer, 3 youth".')
        elif to_state == self.State.STUDYING:
            if not self.do_notes.strip():
                problems.append("Write what actually happened when you ran the test.")
            if not self.start:
                problems.append("Give the date the test started.")
            if self.start and self.end and self.end < self.start:
                problems.append("The test cannot end before it started.")
        elif to_state == self.State.DECIDED:
            if not self.results.strip():
                problems.append("Record the results: the numbers and what you observed.")
            for i, q in enumerate(self.questions or [], start=1):
                if (q.get("prediction") or "").strip() and not q.get("outcome"):
                    problems.append(
                        f"Compare the results with prediction {i}: confirmed, partly or not?"
                    )
            if not self.learned.strip():
                problems.append("Write what you learned.")
        return problems


def attachment_path(instance: CycleAttachment, filename: str) -> str:
    """A storage path that never uses the uploaded file's name."""
    extension = instance.extension or "bin"
    return f"pdsa/{instance.cycle_id}/{uuid.uuid4().hex}.{extension}"


class CycleAttachment(models.Model):
    """A file that belongs to a cycle: a form, a protocol, a tally sheet."""

    cycle = models.ForeignKey(PDSACycle, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(max_length=200, help_text="The file's name as shown to people.")
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "pdsa:attachment", args=[self.cycle.team.collaborative.slug, self.cycle_id, self.pk]
        )
