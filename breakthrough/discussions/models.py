from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Thread(models.Model):
    """A discussion in a collaborative (the listserv, kept), tagged to the change package.

    The first post holds the opening message. Staff pin threads and "seed" questions, because
    traffic fades unless staff prompt it (BRIEF §6, pain point 2).
    """

    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads"
    )
    nodes = models.ManyToManyField(
        "changes.ChangeNode", blank=True, related_name="threads", verbose_name="change package"
    )
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    event = models.ForeignKey(
        "collaboratives.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    is_pinned = models.BooleanField("pinned", default=False)
    is_prompt = models.BooleanField(
        "question from staff", default=False, help_text="A question staff posted to start talk."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[nodes])

    class Meta:
        ordering = ["-is_pinned", "-last_post_at", "-id"]
        indexes = [models.Index(fields=["collaborative", "last_post_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.collaborative.slug, self.pk])


class Post(models.Model):
    """A message in a thread. The body is Markdown, shown through the sanitiser only."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    author_team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text="The author's team when they posted (none for staff); counts engagement.",
    )
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} in {self.thread}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"


class DiscussionPreference(models.Model):
    """How a person follows one collaborative's discussions by e-mail."""

    class Mode(models.TextChoices):
        EVERY = "every", "Every post by e-mail"
        DIGEST = "digest", "A daily digest"
        NONE = "none", "No e-mail (I read on the site)"

    DEFAULT = Mode.DIGEST

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_preferences"
    )
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="+"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=DEFAULT)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collaborative"], name="unique_discussion_preference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_mode_display()}"


class CoachingNote(models.Model):
    """A note of a coaching call or site visit, kept so one-to-one learning is not lost."""

    class Scope(models.TextChoices):
        FACULTY = "faculty", "Faculty and staff only"
        TEAM = "team", "The team, faculty and staff"
        COLLABORATIVE = "collaborative", "Everyone who may read the team's work"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="coaching_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    event = models.ForeignKey(
        "collaboratives.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_notes",
        help_text="The coaching call or site visit, if any.",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    nodes = models.ManyToManyField(
        "changes.ChangeNode",
        blank=True,
        related_name="coaching_notes",
        verbose_name="change package",
    )
    share_scope = models.CharField(
        "shared with", max_length=20, choices=Scope.choices, default=Scope.TEAM
    )
    created_at = models.DateTimeField(default=timezone.now)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[nodes])

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("discussions:note", args=[self.team.collaborative.slug, self.pk])
