from django.urls import path

from voliere.knowledge.views import articles, history, home, review, threads

_KIND = "<str:kind>/<int:item_id>"

urlpatterns = [
    path("knowledge/", home.knowledge_home, name="knowledge"),
    path("knowledge/blog/<str:handle>/", home.blog, name="knowledge_blog"),
    path("knowledge/review/", review.review_queue, name="knowledge_review_queue"),
    path("knowledge/articles/new/", articles.article_new, name="knowledge_article_new"),
    path("knowledge/articles/<int:article_id>/", articles.article_detail, name="knowledge_article"),
    path(
        "knowledge/articles/<int:article_id>/cover/",
        articles.article_cover,
        name="knowledge_article_cover",
    ),
    path(
        "knowledge/articles/<int:article_id>/edit/",
        articles.article_edit,
        name="knowledge_article_edit",
    ),
    path(
        "knowledge/articles/<int:article_id>/publish/",
        articles.article_publish,
        name="knowledge_article_publish",
    ),
    path(
        "knowledge/articles/<int:article_id>/delete/",
        articles.article_delete,
        name="knowledge_article_delete",
    ),
    path(
        "knowledge/articles/<int:article_id>/authors/",
        articles.article_authors,
        name="knowledge_article_authors",
    ),
    path(
        "knowledge/articles/<int:article_id>/comments/",
        articles.article_comment,
        name="knowledge_article_comment",
    ),
    path(
        "knowledge/comments/<int:comment_id>/delete/",
        articles.comment_delete,
        name="knowledge_comment_delete",
    ),
    path("knowledge/questions/new/", threads.thread_new, name="knowledge_thread_new"),
    path("knowledge/questions/<int:thread_id>/", threads.thread_detail, name="knowledge_thread"),
    path(
        "knowledge/questions/<int:thread_id>/edit/",
        threads.thread_edit,
        name="knowledge_thread_edit",
    ),
    path(
        "knowledge/questions/<int:thread_id>/answers/",
        threads.thread_answer,
        name="knowledge_thread_answer",
    ),
    path("knowledge/answers/<int:answer_id>/vote/", threads.answer_vote, name="knowledge_vote"),
    path(
        "knowledge/answers/<int:answer_id>/accept/", threads.answer_accept, name="knowledge_accept"
    ),
    path(f"knowledge/{_KIND}/history/", history.history, name="knowledge_history"),
    path(f"knowledge/{_KIND}/diff/", history.diff, name="knowledge_diff"),
    path(f"knowledge/{_KIND}/revisions/<int:number>/", history.revision, name="knowledge_revision"),
    path(f"knowledge/{_KIND}/review/", review.review_step, name="knowledge_review"),
]
