"""Communities and who belongs to them.

Public API for other apps (knowledge, search, API): import from here.

- `Community` (`slug`, `name`, `description`, `rules`, `kind`, `created_at`, `organisation`,
  `members_count`, `posts_count`, `last_post_at`) and `Kind` (open, moderated, secret).
- `Membership(community, account, role, created_at)` and `Role` (owner, admin, moderator,
  member; `Role.rank(role)` orders them).
- `JoinRequest` (a pending request to join a moderated community), `Invitation` (pending),
  `Ban`, `Pin` (a post pinned on the community page).

Who may see or do what is decided in `voliere.communities.access`, never by reading these
tables directly: a secret community must stay invisible to non-members everywhere.
"""

from voliere.communities.models.community import Community, Kind
from voliere.communities.models.membership import Ban, Invitation, JoinRequest, Membership, Role
from voliere.communities.models.pin import Pin

__all__ = ["Ban", "Community", "Invitation", "JoinRequest", "Kind", "Membership", "Pin", "Role"]
