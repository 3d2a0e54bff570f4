"""Search never shows, counts or quotes what the viewer may not see."""

import pytest

from voliere.accounts.actions import block_account, follow_account, suspend_account
from voliere.communities import actions as communities
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.actions.articles import Destination
from voliere.posts.actions import publish_post
from voliere.search.engine import search
from voliere.search.parser import QuerySyntaxError
from voliere.search.tests.helpers import found_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    author, follower, mentioned, stranger = (
        make_user(h).account for h in ("author", "follower", "mentioned", "stranger")
    )
    follow_account(follower, author)
    return {"author": author, "follower": follower, "mentioned": mentioned, "stranger": stranger}


@pytest.fixture
def posts(cast):
    author = cast["author"]
    return {
        visibility: publish_post(
            author, f"Walrus {visibility} news for @mentioned", visibility=visibility
        ).id
        for visibility in ("public", "internal", "followers", "direct")
    }


EXPECTED = {
    "anonymous": {"public"},
    "stranger": {"public", "internal"},
    "follower": {"public", "internal", "followers"},
    "mentioned": {"public", "internal", "followers", "direct"},
    "author": {"public", "internal", "followers", "direct"},
}


@pytest.mark.parametrize("viewer", list(EXPECTED))
@pytest.mark.parametrize("order", ["relevance", "latest"])
def test_visibility_matrix(cast, posts, viewer, order):
    account = cast.get(viewer)
    got = set(found_ids(account, "walrus", order=order))
    assert got == {posts[v] for v in EXPECTED[viewer]}


def test_blocks_both_ways_and_suspension(cast, posts):
    block_account(cast["stranger"], cast["author"])
    assert found_ids(cast["stranger"], "walrus") == []
    assert found_ids(cast["stranger"], "author", kind="people") == []
    block_account(cast["author"], cast["follower"])
    assert found_ids(cast["follower"], "walrus") == []
    assert found_ids(cast["follower"], "author", kind="people") == []
    assert found_ids(cast["mentioned"], "author", kind="people") == [cast["author"].id]
    suspend_account(cast["author"])
    assert found_ids(cast["mentioned"], "walrus") == []
    assert found_ids(cast["mentioned"], "author", kind="people") == []
    assert found_ids(None, "author", kind="people") == []


@pytest.fixture
def secret(cast):
    owner = cast["author"]
    community = communities.create_community(
        owner, name="Project Nightjar", slug="nightjar", description="Walrus plans", kind="secret"
    )
    communities.invite_to_community(owner, community, cast["follower"])
    communities.accept_invitation(cast["follower"], community)
    post = publish_post(owner, "Walrus acquisition #confidentialtag", community=community)
    return community, post


def test_secret_community_invisible_to_outsiders(cast, secret):
    community, post = secret
    member, outsider = cast["follower"], cast["stranger"]
    assert post.id in found_ids(member, "walrus acquisition")
    assert found_ids(member, "nightjar", kind="communities") == [community.id]
    assert found_ids(member, "confidentialtag", kind="hashtags")
    for viewer in (outsider, None):
        results = search(viewer, "walrus acquisition nightjar confidentialtag")
        assert results.items == []
        assert found_ids(viewer, "walrus acquisition") == []
        assert found_ids(viewer, "nightjar", kind="communities") == []
        assert found_ids(viewer, "confidentialtag", kind="hashtags") == []
    # in: answers the same for a secret community as for one that does not exist.
    with pytest.raises(QuerySyntaxError) as hidden:
        search(outsider, "walrus in:nightjar")
    with pytest.raises(QuerySyntaxError) as missing:
        search(outsider, "walrus in:nowhere")
    assert hidden.value.message.replace("nightjar", "X") == missing.value.message.replace(
        "nowhere", "X"
    )
    assert found_ids(member, "walrus in:nightjar") == [post.id]


def test_hashtag_only_in_direct_messages_stays_unknown(cast):
    publish_post(cast["author"], "Hi @mentioned #surprisepartyplan", visibility="direct")
    assert found_ids(cast["mentioned"], "surprise", kind="hashtags")
    assert found_ids(cast["stranger"], "surprise", kind="hashtags") == []
    assert found_ids(cast["stranger"], "#surprisepartyplan") == []


def test_knowledge_drafts_and_secret_threads(cast, secret):
    community, _post = secret
    author = cast["author"]
    draft = articles.create_article(
        author, title="Walrus handbook", body="Draft text", destination=Destination(blog=author)
    )
    published = articles.create_article(
        author,
        title="Walrus guide",
        body="Ready",
        destination=Destination(blog=author),
        publish=True,
    )
    thread = forum.ask_question(
        author, title="Walrus feeding schedule?", body="Asking the club", community=community
    )
    assert set(found_ids(author, "walrus", kind="articles")) == {draft.id, published.id}
    assert found_ids(cast["stranger"], "walrus", kind="articles") == [published.id]
    assert found_ids(cast["follower"], "feeding", kind="threads") == [thread.id]
    assert found_ids(cast["stranger"], "feeding", kind="threads") == []
