"""Knowledge models, one aggregate per module (see each module's docstring)."""

from voliere.knowledge.models.article import Article, ArticleAuthor, ArticleStatus, Comment
from voliere.knowledge.models.base import KnowledgeVisibility, ReviewState, Tag
from voliere.knowledge.models.review import (
    ReviewAction,
    Revision,
    ValidationEvent,
    ValidatorRole,
)
from voliere.knowledge.models.thread import Answer, AnswerVote, Thread

__all__ = [
    "Answer",
    "AnswerVote",
    "Article",
    "ArticleAuthor",
    "ArticleStatus",
    "Comment",
    "KnowledgeVisibility",
    "ReviewAction",
    "ReviewState",
    "Revision",
    "Tag",
    "Thread",
    "ValidationEvent",
    "ValidatorRole",
]
