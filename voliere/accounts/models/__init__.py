from voliere.accounts.models.account import Account, AccountKind
from voliere.accounts.models.invite import Invite
from voliere.accounts.models.relationships import Block, Follow, Mute
from voliere.accounts.models.skills import AccountSkill, Endorsement, Skill
from voliere.accounts.models.user import OrganisationRole, Role, User

__all__ = [
    "Account",
    "AccountKind",
    "AccountSkill",
    "Block",
    "Endorsement",
    "Follow",
    "Invite",
    "Mute",
    "OrganisationRole",
    "Role",
    "Skill",
    "User",
]
