"""Who may fetch the files attached to articles and questions.

The media app serves an attachment only to the people who may see its subject
(`voliere.media.access`). Articles and threads have no `visible_to` on their default
manager: their one rule is `voliere.knowledge.access`, so it is registered here, from
`KnowledgeConfig.ready`. Drafts stay with their authors and secret communities' items with
their members, for the files exactly as for the pages.
"""

from __future__ import annotations

from voliere.knowledge.access import visible_articles, visible_threads
from voliere.media.access import register_visibility


def register_attachment_visibility() -> None:
    register_visibility("knowledge.article", visible_articles)
    register_visibility("knowledge.thread", visible_threads)
