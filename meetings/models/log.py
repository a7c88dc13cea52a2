"""The append-only, hash-chained meeting event log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.models.meeting import Meeting


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a logged event."""


class MeetingEvent(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField()
    command_id = models.CharField(max_length=64, null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["meeting", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="event_seq_unique"),
            models.UniqueConstraint(
                fields=["meeting", "command_id"], name="event_command_unique",
                condition=models.Q(command_id__isnull=False),
            ),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.seq} {self.type}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[override]
        if not self._state.adding:
            raise AppendOnlyError("meeting events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("meeting events are append-only")
