"""Every change to knowledge items, by sub-domain:

- `articles`: create, edit, publish, co-authors, cover, comments;
- `forum`: ask, edit a question, answer, vote, accept;
- `review`: the validated space (submit, validate, reject, withdraw).

Each action validates its input, writes in one transaction and emits after-commit events
(listed in each module's docstring) that notifications and search subscribe to.
"""
