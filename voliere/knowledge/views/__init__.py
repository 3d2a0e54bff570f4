"""Knowledge pages: home and blogs (`home`), articles (`articles`), forum (`threads`),
history and diffs (`history`), the validated space (`review`).

Items are always fetched through `voliere.knowledge.access` (404 for missing and forbidden
alike) and changed through `voliere.knowledge.actions`; bad input re-renders the form with
the message next to the field and status 400, nothing saved.
"""
