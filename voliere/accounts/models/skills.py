"""Skills on profiles and colleagues' endorsements of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Skill(models.Model):
    name = models.CharField(max_length=60)
    # Case-folded name: "Python" and "python" are one skill.
    key = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.name


class AccountSkill(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    endorsements_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "skill"], name="account_skill_unique")
        ]


class Endorsement(models.Model):
    account_skill = models.ForeignKey(
        AccountSkill, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorser = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account_skill", "endorser"], name="endorsement_unique")
        ]
