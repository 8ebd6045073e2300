"""A tabletop exercise as it runs: the facilitator's exercise, the players who joined it with
its code, their answers (each scored when it arrives), evaluator notes and corrective actions.

Every step is a row saved at once, so a running exercise survives a restart of the site. A
player has no account: the exercise knows them by the name they gave, and their browser by
a token whose SHA-256 alone is kept. The ledger's record of a finished exercise holds roles
and scores, never these names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django_fsm import FSMField, transition


class State(models.TextChoices):
    LOBBY = "lobby", "Players are joining"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    FINISHED = "finished", "Finished"


class Readings(models.TextChoices):
    """The readings an exercise may be scored under: none (every open question stays open),
    or the research's recommended readings."""

    NONE = "", "None: open questions stay open"
    RESEARCH = "examples/readings-research-recommended.yaml", "The research's recommended readings"


class Lang(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"


class Exercise(models.Model):
    code = models.CharField(max_length=6)
    scenario = models.CharField(max_length=100)
    readings = models.CharField(max_length=100, blank=True, choices=Readings.choices)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(max_length=10, choices=State.choices, default=State.LOBBY)
    released = models.JSONField(default=list)  # inject ids in the order released
    skipped = models.JSONField(default=list)  # released inject ids moved past unscored
    current = models.CharField(max_length=100, blank=True)
    opened_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    receipt = models.JSONField(null=True, blank=True)  # the ledger's, once finished

    class Meta:
        ordering = ("-opened_at", "-id")
        constraints = (
            # A code names one exercise at a time; a finished one gives its code back.
            models.UniqueConstraint(
                fields=("code",),
                condition=~models.Q(state="finished"),
                name="one_running_exercise_per_code",
            ),
        )

    def __str__(self) -> str:
        return self.code

    @transition(field=state, source=State.LOBBY, target=State.RUNNING)
    def start(self) -> None:
        """The first inject is released."""

    @transition(field=state, source=State.RUNNING, target=State.PAUSED)
    def pause(self) -> None:
        """Answers wait; nothing is released."""

    @transition(field=state, source=State.PAUSED, target=State.RUNNING)
    def resume(self) -> None:
        """Answers are taken again."""

    @transition(
        field=state, source=[State.LOBBY, State.RUNNING, State.PAUSED], target=State.FINISHED
    )
    def finish(self) -> None:
        """Scored and recorded in the ledger; no more answers."""


class Player(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="players")
    name = models.CharField(max_length=40)
    role = models.CharField(max_length=20)
    lang = models.CharField(max_length=2, choices=Lang.choices, default=Lang.EN)
    token_sha256 = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ("joined_at", "id")
        constraints = (
            models.UniqueConstraint("exercise", Lower("name"), name="one_player_name_per_exercise"),
        )

    def __str__(self) -> str:
        return self.name


class PlayerAnswer(models.Model):
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    inject = models.CharField(max_length=100)
    answer = models.JSONField()  # scoring.Answer.to_dict()
    score = models.JSONField()  # scoring.InjectScore.to_dict()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ("answered_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("player", "inject"), name="one_answer_per_inject"),
        )


class EvaluatorNote(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="notes")
    inject = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "id")


class CorrectiveAction(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="actions")
    objective = models.CharField(max_length=100)
    action = models.TextField()
    owner = models.CharField(max_length=120)  # a unit or a role, never a person's name
    due = models.DateField()

    class Meta:
        ordering = ("due", "id")
