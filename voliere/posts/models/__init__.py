from voliere.posts.models.hashtag import Hashtag, PostHashtag
from voliere.posts.models.interactions import Bookmark, Like
from voliere.posts.models.post import Mention, Post, PostRevision, Visibility

__all__ = [
    "Bookmark",
    "Hashtag",
    "Like",
    "Mention",
    "Post",
    "PostHashtag",
    "PostRevision",
    "Visibility",
]
