"""Timeline pages through HTTP: paging, bad cursors, profile context, and exact query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import block_account, endorse_skill, follow_account, set_skills
from voliere.accounts.models import AccountSkill
from voliere.posts.actions import publish_post, repost

HTMX = {"HTTP_HX_REQUEST": "true"}


def fill(author, others, count: int, run_on_commit) -> None:
    """`count` posts in `author`'s name, the newest being a reply, a quote and a repost,
    so every kind of card is drawn on the first page whatever `count` is."""
    with run_on_commit():
        first = None
        for number in range(count - 3):
            post = publish_post(author, f"post {number} #bench", visibility="public")
            first = first or post
        publish_post(author, "a reply #bench", in_reply_to=first)
        publish_post(author, "a quote #bench", quote_of=first)
        repost(author, publish_post(others, "someone else's #bench"))


@pytest.fixture
def timeline_world(make_user, run_on_commit):
    def build(count: int) -> tuple:
        author, other, reader = make_user(), make_user(), make_user()
        with run_on_commit():
            follow_account(reader.account, author.account)
        fill(author.account, other.account, count, run_on_commit)
        return author, reader

    return build


# Anonymous-or-not pages, keyed by a function from the author to the URL.
PAGES = {
    "home": lambda author: "/",
    "organisation": lambda author: "/organisation/",
    "hashtag": lambda author: "/tags/bench/",
    "profile": lambda author: f"/@{author.account.handle}/",
    "profile_replies": lambda author: f"/@{author.account.handle}/replies/",
}
# Exact counts: session, user and account, then the page's own reads (entries or posts,
# likes, bookmarks, reposts and visible quotes of the viewer, media attachments of the
# shown posts; the profile adds the account, block check, relationship flags and skills).
# A change must be explained.
EXPECTED_QUERIES = {
    "home": 9,
    "organisation": 8,
    "hashtag": 9,
    "profile": 12,
    "profile_replies": 12,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_timeline_pages_do_the_same_queries_for_5_and_40_posts(
    timeline_world, django_assert_num_queries, page
):
    counts = []
    for size in (5, 40):
        author, reader = timeline_world(size)
        client = Client()
        client.force_login(reader)
        url = PAGES[page](author)
        with django_assert_num_queries(EXPECTED_QUERIES[page]) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page"]) == min(size, 20)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_bookmarks_page_query_count_does_not_grow(make_user, django_assert_num_queries):
    counts = []
    for size in (5, 40):
        author, reader = make_user(), make_user()
        client = Client()
        client.force_login(reader)
        for number in range(size):
            post = publish_post(author.account, f"saved {number}")
            client.post(f"/posts/{post.id}/bookmark/")
            client.post(f"/posts/{post.id}/like/")
        for url in ("/bookmarks/", "/likes/"):
            # 8: session, user, account, the page, likes, bookmarks, reposts, media.
            with django_assert_num_queries(8) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_anonymous_organisation_page_query_count(make_user, django_assert_num_queries):
    author = make_user()
    for number in range(25):
        publish_post(author.account, f"public {number}")
    with django_assert_num_queries(2):  # the posts, then their media attachments
        response = Client().get("/organisation/")
    assert len(response.context["page"]) == 20


# Paging --------------------------------------------------------------------------------


def test_older_and_newer_links_walk_the_timeline(alice, login):
    posts = [publish_post(alice.account, f"numbered {n:02d}") for n in range(25)]
    client = login(alice)
    first = client.get("/organisation/")
    content = first.content.decode()
    assert "numbered 24" in content and "numbered 05" in content and "numbered 04" not in content
    assert f"?max_id={posts[5].id}" in content
    assert 'rel="prev"' not in content  # no "Newer" on the newest page

    older = client.get(f"/organisation/?max_id={posts[5].id}").content.decode()
    assert "numbered 04" in older and "numbered 00" in older and "numbered 05" not in older
    assert f"?min_id={posts[4].id}" in older
    assert 'rel="next"' not in older  # the end

    newer = client.get(f"/organisation/?min_id={posts[4].id}").content.decode()
    assert "numbered 05" in newer and "numbered 04" not in newer


def test_load_more_with_htmx_returns_only_the_next_cards(alice, login):
    posts = [publish_post(alice.account, f"numbered {n:02d}") for n in range(22)]
    response = login(alice).get(f"/organisation/?max_id={posts[2].id}", **HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "numbered 01" in content and "numbered 00" in content
    assert '<nav class="pager"' in content


@pytest.mark.parametrize(
    "url", ["/", "/organisation/", "/tags/x/", "/@alice/", "/bookmarks/", "/likes/"]
)
@pytest.mark.parametrize("query", ["max_id=abc", "min_id=-1", "limit=zero"])
def test_malformed_cursor_is_400_with_the_message(alice, login, url, query):
    response = login(alice).get(f"{url}?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert f"{name} must be" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/bookmarks/", "/likes/"])
def test_personal_pages_need_login(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_shows_the_compose_form_and_empty_state(alice, login):
    content = login(alice).get("/").content.decode()
    assert 'action="/posts/new/"' in content
    assert 'data-char-limit="500"' in content
    assert "Your timeline is empty." in content


def test_hashtag_page_is_case_insensitive(alice, client):
    publish_post(alice.account, "shipping #Launch today")
    content = client.get("/tags/LAUNCH/").content.decode()
    assert "shipping" in content and "#launch" in content


# Profile -------------------------------------------------------------------------------


def test_profile_passes_header_context(alice, bob, carol, login, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        follow_account(alice.account, bob.account)
    set_skills(alice.account, ["Python", "Django"])
    django_skill = AccountSkill.objects.get(account=alice.account, skill__key="django")
    endorse_skill(bob.account, django_skill)
    endorse_skill(carol.account, django_skill)
    python_skill = AccountSkill.objects.get(account=alice.account, skill__key="python")
    endorse_skill(carol.account, python_skill)

    response = login(bob).get("/@Alice/")
    assert response.status_code == 200
    assert response.context["account"] == alice.account
    assert response.context["relationship"] == {
        "following": True, "followed_by": True, "blocking": False, "muting": False,
    }
    skills = response.context["skills"]
    assert [s.skill.name for s in skills] == ["Django", "Python"]
    assert [s.endorsed_by_viewer for s in skills] == [True, False]


def test_profile_relationship_for_anonymous_and_blocking(alice, bob, login, client):
    response = client.get("/@alice/")
    assert response.context["relationship"]["following"] is False
    assert [s.endorsed_by_viewer for s in response.context["skills"]] == []
    block_account(bob.account, alice.account)
    response = login(bob).get("/@alice/")
    assert response.context["relationship"]["blocking"] is True


def test_profile_tabs_split_posts_replies_and_media(alice, bob, client):
    root = publish_post(bob.account, "bob root")
    publish_post(alice.account, "alice top level")
    publish_post(alice.account, "alice answers bob", in_reply_to=root)
    posts_tab = client.get("/@alice/").content.decode()
    replies_tab = client.get("/@alice/replies/").content.decode()
    media_tab = client.get("/@alice/media/").content.decode()
    assert "alice top level" in posts_tab and "alice answers bob" not in posts_tab
    assert "alice top level" in replies_tab and "alice answers bob" in replies_tab
    assert "No media yet." in media_tab and "alice top level" not in media_tab
    assert 'aria-current="page">Posts &amp; replies<' in replies_tab


def test_unknown_profile_is_404(db, client):
    response = client.get("/@nobody/")
    assert response.status_code == 404
    assert "No such account." in response.content.decode()


def test_posting_from_home_returns_home(alice, login, run_on_commit):
    client = login(alice)
    home = client.get("/").content.decode()
    assert '<input type="hidden" name="next" value="/">' in home
    with run_on_commit():
        response = client.post(
            "/posts/new/", {"text": "from home", "visibility": "public", "next": "/"}
        )
    assert response["Location"] == "/"
    assert "from home" in client.get("/").content.decode()
