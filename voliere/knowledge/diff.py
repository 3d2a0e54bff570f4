"""Line diff between two revisions, as data a template prints (and so escapes).

No HTML is built here: the template outputs each line with autoescaping, so a revision
containing `<script>` shows as text in the diff like everywhere else.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from voliere.knowledge.models import Revision

CONTEXT_LINES = 3


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    old: Revision
    new: Revision
    title_changed: bool
    tags_added: list[str]
    tags_removed: list[str]
    lines: list[DiffLine]

    @property
    def unchanged(self) -> bool:
        return not (self.title_changed or self.tags_added or self.tags_removed) and all(
            line.kind in ("same", "gap") for line in self.lines
        )


def diff_lines(old: str, new: str, *, context: int = CONTEXT_LINES) -> list[DiffLine]:
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", ""))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines.extend(DiffLine("same", text) for text in a[i1:i2])
                continue
            lines.extend(DiffLine("removed", text) for text in a[i1:i2])
            lines.extend(DiffLine("added", text) for text in b[j1:j2])
    return lines


def diff_revisions(old: Revision, new: Revision) -> RevisionDiff:
    return RevisionDiff(
        old=old,
        new=new,
        title_changed=old.title != new.title,
        tags_added=sorted(set(new.tags) - set(old.tags)),
        tags_removed=sorted(set(old.tags) - set(new.tags)),
        lines=diff_lines(old.body, new.body),
    )
