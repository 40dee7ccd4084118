"""A plan with its people's names, as ``remind`` (``PlanPerson``) and the listings (``PlanRow``)
read it (``store.read.plans``). A module of their own: ``status``, which reads only the plans'
facts, does not make these classes (a frozen dataclass costs about 1 ms to create)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from congtac12.domain.facts import PlanFacts


@dataclass(frozen=True)
class PlanPerson:
    """A plan with what a reminder names of its cadre."""

    facts: PlanFacts
    cadre_name: str
    cadre_email: str | None
    department: str


@dataclass(frozen=True)
class PlanRow:
    """A plan as listed: its facts, and the names a person reads."""

    facts: PlanFacts
    cadre_name: str
    department: str
    unit_name: str
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime

    @property
    def id(self) -> int:
        return self.facts.id
