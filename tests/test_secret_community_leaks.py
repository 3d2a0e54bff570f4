"""A secret community leaks nowhere: its name, address and content stay with its members.

One secret community ("Nightjar Skunkworks", `c/nightjar-skunkworks`) holds a member's
post (public visibility, an image, a hashtag, mentions of outsiders), an article (cover,
attached PDF, comment), a question with an accepted answer, and a draft left behind by a
member who then left. Three people look for it on every surface: an outsider (a member of
the instance who follows the community's members and declares matching skills), an
anonymous visitor, and that former member. Every secret thing carries a canary ("zqxkw",
"nightjar", "skunkworks") that must never appear for them; the community's own member sees
the same surfaces with the canaries, so each check is known to be able to fail.

Web pages go through Django's test client (the real URL routing and views); the Mastodon
API, Volière's own API, attachment files and the streaming endpoints go over real HTTP to
the live uvicorn server.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import committed
from tests.live_server import LiveServer
from voliere.accounts.actions import follow_account, set_skills
from voliere.accounts.models import User
from voliere.communities import actions as communities
from voliere.communities.models import Community
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.models import Answer, Article, Thread
from voliere.media.models import MediaAttachment
from voliere.media.tests import files
from voliere.media.validation import prepare_media
from voliere.notifications.models import Notification
from voliere.oauth import actions as oauth
from voliere.posts.actions import bookmark_post, like_post, publish_post
from voliere.posts.models import Post
from voliere.streaming.tests.clients import SSEClient
from voliere.streaming.tests.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CANARIES = ("zqxkw", "nightjar", "skunkworks")
SLUG = "nightjar-skunkworks"
VIEWERS = ("outsider", "former", "anonymous")
RANDOM_TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


@dataclass
class World:
    alice: User  # owner of the secret community
    bob: User  # member, author of the secret content
    carol: User  # outsider: instance member, follows bob, skills matching the community
    dave: User  # former member: asked a question there, liked and bookmarked, then left
    community: Community
    post: Post
    post_image: MediaAttachment
    article: Article
    article_pdf: MediaAttachment
    draft: Article
    thread: Thread
    answer: Answer
    control: Post  # bob's public post outside the community: everyone sees it

    def user(self, name: str) -> User | None:
        return {"outsider": self.carol, "former": self.dave, "member": self.bob}.get(name)

    def secret_pages(self) -> list[str]:
        """Pages of the secret things themselves (the member reads them all)."""
        return [
            f"/c/{SLUG}/",
            f"/c/{SLUG}/members/",
            f"/posts/{self.post.id}/",
            f"/posts/{self.post.id}/history/",
            f"/knowledge/articles/{self.article.id}/",
            f"/knowledge/questions/{self.thread.id}/",
            f"/knowledge/article/{self.article.id}/history/",
            f"/knowledge/thread/{self.thread.id}/history/",
            f"/knowledge/article/{self.article.id}/revisions/1/",
            f"/knowledge/thread/{self.thread.id}/diff/",
        ]

    def secret_files(self) -> list[str]:
        """Attachment files and the cover, as the pages link to them."""
        return [
            self.post_image.get_absolute_url(),
            self.post_image.thumbnail_url,
            self.article_pdf.get_absolute_url(),
            reverse("knowledge_article_cover", args=[self.article.id]),
        ]

    def never_served(self) -> list[str]:
        """404 for everyone: the draft left behind (its author is no member any more) and
        the cover's place under MEDIA_ROOT, which is not a public directory."""
        return [f"/knowledge/articles/{self.draft.id}/", f"/media/{self.article.cover.name}"]

    def secret_paths(self) -> list[str]:
        return self.secret_pages() + self.secret_files() + self.never_served()


def _jpeg(color: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(buffer, format="JPEG")
    return SimpleUploadedFile("cover.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_world(make_user) -> World:  # noqa: ANN001 — the root fixture's factory
    alice, bob = make_user("alice"), make_user("bob")
    carol, dave = make_user("carol"), make_user("dave")
    set_skills(bob.account, ["Kestrel calibration"])
    set_skills(carol.account, ["Skunkworks", "Nightjar"])
    for follower in (carol, dave):
        follow_account(follower.account, bob.account)
        follow_account(follower.account, alice.account)
    with committed():
        community = communities.create_community(
            alice.account,
            name="Nightjar Skunkworks",
            slug=SLUG,
            description="zqxkwabout kestrel prototypes",
            kind="secret",
        )
        for member in (bob, dave):
            communities.invite_to_community(alice.account, community, member.account)
            communities.accept_invitation(member.account, community)
        image = prepare_media(
            files.upload("zqxkwimage.png", files.image_bytes(), "image/png"),
            description="zqxkwalt",
            field="media_1",
        )
        post = publish_post(
            bob.account,
            "kestrel zqxkwpost @carol @dave #zqxkwhawk",
            visibility="public",
            community=community,
            media=[image],
        )
        like_post(dave.account, post)
        bookmark_post(dave.account, post)
        like_post(alice.account, post)
        pdf = prepare_media(
            files.upload("zqxkwspec.pdf", files.pdf(), "application/pdf"), field="media_1"
        )
        article = articles.create_article(
            bob.account,
            title="Kestrel zqxkwarticle",
            body="kestrel zqxkwbody",
            destination=articles.Destination(community=community),
            tags="zqxkwtag",
            visibility="public",
            publish=True,
            cover=_jpeg(),
            cover_alt="zqxkwcover",
            media=[pdf],
        )
        articles.comment_on_article(dave.account, article, "zqxkwcomment kestrel")
        draft = articles.create_article(
            dave.account,
            title="Kestrel zqxkwdraft",
            body="kestrel zqxkwdraftbody",
            destination=articles.Destination(community=community),
            visibility="public",
        )
        thread = forum.ask_question(
            dave.account,
            title="Kestrel zqxkwthread",
            body="kestrel zqxkwquestion",
            community=community,
            visibility="public",
        )
        answer = forum.answer_question(alice.account, thread, "kestrel zqxkwanswer")
        forum.accept_answer(dave.account, answer)
        communities.leave_community(dave.account, community)
        control = publish_post(bob.account, "kestrel public control", visibility="public")
    return World(
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        community=community,
        post=post,
        post_image=MediaAttachment.objects.get(subject_type="posts.post"),
        article=article,
        article_pdf=MediaAttachment.objects.get(subject_type="knowledge.article"),
        draft=draft,
        thread=thread,
        answer=answer,
        control=control,
    )


def leaked(text: str, *, echoed: str = "") -> list[str]:
    """Where canaries appear in `text` (a little context around each), once what the
    viewer typed (`echoed`) is set aside."""
    folded = _without_tokens(text).lower()
    folded = folded.replace(echoed.lower(), "") if echoed else folded
    return [
        folded[max(match.start() - 60, 0) : match.end() + 20]
        for match in re.finditer("|".join(CANARIES), folded)
    ][:3]


# (path, what the page echoes back from the address): every page that lists, counts,
# suggests or searches things.
LISTING_PAGES: list[tuple[str, str]] = [
    ("/", ""),
    ("/organisation/", ""),
    ("/@bob/", ""),
    ("/@bob/replies/", ""),
    ("/@bob/media/", ""),
    ("/@alice/", ""),
    ("/@dave/", ""),
    ("/tags/zqxkwhawk/", "zqxkwhawk"),
    ("/communities/", ""),
    ("/communities/?q=nightjar", "nightjar"),
    ("/communities/?q=kestrel", ""),
    ("/communities/?sort=members", ""),
    ("/communities/of/bob/", ""),
    ("/communities/of/alice/", ""),
    ("/communities/of/dave/", ""),
    ("/communities/invitations/", ""),
    ("/sidebar/", ""),
    ("/people/", ""),
    ("/people/?q=bob", ""),
    ("/search/?q=kestrel", ""),
    ("/search/?q=kestrel&order=latest", ""),
    *[
        (f"/search/?q=kestrel&tab={tab}", "")
        for tab in ("posts", "people", "hashtags", "communities", "articles", "threads")
    ],
    ("/search/?q=zqxkwhawk&tab=hashtags", "zqxkwhawk"),
    ("/search/?q=%23zqxkwhawk", "zqxkwhawk"),
    ("/search/?q=kestrel+in:nightjar-skunkworks", "nightjar-skunkworks"),
    ("/search/live/?q=kestrel&since_id=0", ""),
    ("/experts/?q=kestrel", ""),
    ("/experts/?q=kestrel+prototypes", ""),
    ("/experts/report/", ""),
    ("/notifications/", ""),
    ("/notifications/?filter=mentions", ""),
    ("/notifications/count/", ""),
    ("/bookmarks/", ""),
    ("/likes/", ""),
    ("/knowledge/", ""),
    ("/knowledge/?tab=questions", ""),
    ("/knowledge/?tab=questions&state=solved", ""),
    ("/knowledge/?tab=validated", ""),
    ("/knowledge/?tag=zqxkwtag", "zqxkwtag"),
    ("/knowledge/?community=nightjar-skunkworks", "nightjar-skunkworks"),
    ("/knowledge/blog/bob/", ""),
    ("/knowledge/blog/dave/", ""),
    ("/knowledge/review/", ""),
]


# Listing pages where the member does find the secret things (the rest list other things).
MEMBER_SEES = {
    "/",
    "/organisation/",
    "/@bob/",
    "/@bob/media/",
    "/tags/zqxkwhawk/",
    "/communities/",
    "/communities/?q=nightjar",
    "/communities/of/bob/",
    "/search/?q=kestrel",
    "/search/?q=kestrel&tab=posts",
    "/search/?q=kestrel&tab=communities",
    "/search/?q=kestrel&tab=articles",
    "/search/?q=kestrel&tab=threads",
    "/search/?q=kestrel+in:nightjar-skunkworks",
    "/search/live/?q=kestrel&since_id=0",
    "/experts/?q=kestrel",
    "/notifications/",
    "/knowledge/",
    "/knowledge/?tab=questions&state=solved",
    "/knowledge/?community=nightjar-skunkworks",
}


@pytest.fixture
def world(make_user) -> World:  # noqa: ANN001
    return build_world(make_user)


def _client(world: World, who: str) -> Client:
    client = Client()
    user = world.user(who)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", VIEWERS)
def test_no_web_page_shows_the_secret_community_to_non_members(world: World, who: str) -> None:
    client = _client(world, who)
    problems = []
    for path, echoed in LISTING_PAGES:
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
        elif found := leaked(response.content.decode(), echoed=echoed):
            problems.append(f"{path}: {found}")
    for path in world.secret_paths():
        response = client.get(path)
        to_login = who == "anonymous" and response.status_code == 302
        if response.status_code != 404 and not to_login:
            problems.append(f"{path}: {response.status_code}, expected 404")
        body = b"" if response.streaming else response.content
        if leaked(body.decode(errors="replace"), echoed=SLUG):
            problems.append(f"{path}: canary in the error page")
    assert not problems, "\n".join(problems)


def _without_tokens(text: str) -> str:
    """`text` without per-response random tokens (CSRF), which could hold anything."""
    return RANDOM_TOKEN.sub("", text)


def _page(response) -> str:  # noqa: ANN001
    return _without_tokens(response.content.decode())


@pytest.mark.parametrize("who", ("outsider", "former"))
def test_answers_about_the_secret_community_are_those_about_no_community(
    world: World, who: str
) -> None:
    """Existence does not leak through an error: same status and message as for an address
    that was never used (the address itself, typed by the viewer, set aside)."""
    client = _client(world, who)
    unknown = "no-such-skunk"
    pairs = [
        ("/c/{}/", "get"),
        ("/c/{}/members/", "get"),
        ("/c/{}/join/", "post"),
        ("/knowledge/?community={}", "get"),
        ("/search/?q=in:{}", "get"),
    ]
    for template, method in pairs:
        secret = getattr(client, method)(template.format(SLUG))
        other = getattr(client, method)(template.format(unknown))
        assert secret.status_code == other.status_code, template
        assert _page(secret).replace(SLUG, unknown) == _page(other), template
    before = world.community.memberships.count()
    answer_url = f"/knowledge/questions/{world.thread.id}/answers/"
    assert client.post(answer_url, {"body": "x"}).status_code == 404
    assert world.community.memberships.count() == before


def test_the_member_sees_what_the_others_do_not(world: World) -> None:
    """The control: the same surfaces do show the canaries to a member."""
    client = _client(world, "member")
    blind = [
        path
        for path, echoed in LISTING_PAGES
        if path in MEMBER_SEES and not leaked(client.get(path).content.decode(), echoed=echoed)
    ]
    assert blind == []
    for path in world.secret_pages():  # (files are checked over HTTP below)
        response = client.get(path)
        assert response.status_code == 200, path
    for path in world.never_served():
        assert client.get(path).status_code == 404, path
    page = client.get("/search/?q=kestrel").content.decode()
    for token in ("zqxkwpost", "zqxkwarticle", "zqxkwthread", "Nightjar Skunkworks"):
        assert token in page
    # Every viewer sees the control post: the searches above really ran.
    for who in VIEWERS:
        assert "public control" in _client(world, who).get("/search/?q=kestrel").content.decode()


def _unread_badge(client: Client) -> int:
    badge = client.get("/notifications/count/").content.decode()
    number = re.search(r">\s*(\d+)\s*<", badge)
    return int(number.group(1)) if number else 0


def test_notifications_of_the_outsider_and_former_member_say_nothing_of_it(world: World) -> None:
    """Carol was mentioned in the secret post but is no member; Dave was invited, mentioned
    and answered while a member. Once he left, his notifications about it are still rows,
    but neither the list nor the unread badge shows or counts them."""
    stale = Notification.objects.filter(recipient=world.dave.account)
    assert stale.count() >= 3  # the invitation, the mention, the answer
    for who in ("outsider", "former"):
        client = _client(world, who)
        badge = _unread_badge(client)
        page = client.get("/notifications/").content.decode()
        assert not leaked(page), who
        assert badge == page.count('class="notification card unread"'), who
    assert _unread_badge(_client(world, "former")) == 0
    member = _client(world, "member")
    assert _unread_badge(member) > 0
    assert "Nightjar Skunkworks" in member.get("/notifications/").content.decode()


# --- Over real HTTP: the Mastodon API, Volière's API, files and streams -----------------


def _token(user: User) -> str:
    application = oauth.register_application(
        name="Leak audit", redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes="read write follow"
    )
    return oauth.issue_token(
        application=application,
        user=user,
        scopes=["read", "write", "follow"],
        grant_type="personal",
    ).secret


@pytest.fixture
def live_world(make_user, asgi_server: LiveServer, settings) -> World:  # noqa: ANN001
    """The world, with its files written where the live server reads them."""
    data = asgi_server.log_path.parent
    settings.MEDIA_ROOT = data / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": data / "attachments", "base_url": None},
        },
    }
    return build_world(make_user)


@pytest.fixture
def http(asgi_server: LiveServer) -> Iterator[callable]:
    opened: list[httpx.Client] = []

    def make(token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=asgi_server.url, headers=headers, timeout=10)
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


def _api_paths(world: World) -> tuple[list[str], list[str]]:
    """(reads that must not show the canaries, reads of the secret things: 404)."""
    bob, post = world.bob.account.id, world.post.id
    listing = [
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        "/api/v1/timelines/public?local=true",
        "/api/v1/timelines/tag/zqxkwhawk",
        f"/api/v1/accounts/{bob}/statuses",
        f"/api/v1/accounts/{bob}/statuses?only_media=true",
        f"/api/v1/accounts/{world.dave.account.id}/statuses",
        "/api/v2/search?q=kestrel",
        "/api/v2/search?q=kestrel&resolve=true",
        "/api/v2/search?q=zqxkwhawk&type=hashtags",
        "/api/v1/notifications",
        "/api/v1/notifications/unread_count",
        "/api/v1/favourites",
        "/api/v1/bookmarks",
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/conversations",
        "/api/voliere/v1/communities",
        "/api/voliere/v1/communities?q=nightjar",
        "/api/voliere/v1/communities?q=kestrel",
        "/api/voliere/v1/search?q=kestrel",
        "/api/voliere/v1/search?q=kestrel&kinds=communities",
        "/api/voliere/v1/articles",
        "/api/voliere/v1/articles?tag=zqxkwtag",
        "/api/voliere/v1/threads",
        "/api/voliere/v1/experts?q=kestrel",
        "/api/voliere/v1/profiles/bob",
        "/api/voliere/v1/profiles/dave",
    ]
    secret = [
        f"/api/v1/statuses/{post}",
        f"/api/v1/statuses/{post}/context",
        f"/api/v1/statuses/{post}/favourited_by",
        f"/api/v1/statuses/{post}/reblogged_by",
        f"/api/v1/statuses/{post}/history",
        f"/api/voliere/v1/communities/{SLUG}",
        f"/api/voliere/v1/communities/{SLUG}/members",
        f"/api/voliere/v1/communities/{SLUG}/posts",
        f"/api/voliere/v1/articles/{world.article.id}",
        f"/api/voliere/v1/threads/{world.thread.id}",
    ]
    return listing, secret


MEMBER_SEES_API = {
    "/api/v1/timelines/home",
    "/api/v1/timelines/public",
    "/api/v1/timelines/tag/zqxkwhawk",
    "/api/v2/search?q=kestrel",
    "/api/v1/notifications",
    "/api/v1/trends/statuses",
    "/api/voliere/v1/communities",
    "/api/voliere/v1/search?q=kestrel",
    "/api/voliere/v1/articles",
    "/api/voliere/v1/threads",
    "/api/voliere/v1/experts?q=kestrel",
}


def _echo(path: str) -> str:
    for typed in ("zqxkwhawk", "zqxkwtag", "nightjar"):
        if typed in path:
            return typed
    return ""


def test_apis_and_files_over_http_hide_it_from_non_members(
    live_world: World, asgi_server: LiveServer, http
) -> None:  # noqa: ANN001
    world = live_world
    listing, secret = _api_paths(world)
    callers = {
        "outsider": http(_token(world.carol)),
        "former": http(_token(world.dave)),
        "anonymous": http(),
    }
    problems = []
    for who, client in callers.items():
        for path in listing:
            response = client.get(path)
            if response.status_code >= 500:
                problems.append(f"{who} {path}: {response.status_code}")
            elif found := leaked(response.text, echoed=_echo(path)):
                problems.append(f"{who} {path}: {found}")
        for path in secret + world.secret_files() + world.never_served():
            response = client.get(path)
            if response.status_code not in (401, 404):
                problems.append(f"{who} {path}: {response.status_code}, expected 404")
        response = client.post(f"/api/voliere/v1/communities/{SLUG}/join")
        if response.status_code not in (401, 404):
            problems.append(f"{who} join: {response.status_code}")
    assert not problems, "\n".join(problems)
    # The control: the member's token and session reach all of it.
    member = http(_token(world.bob))
    for path in secret:
        assert member.get(path).status_code == 200, path
    blind = [
        path for path in listing if path in MEMBER_SEES_API and not leaked(member.get(path).text)
    ]
    assert blind == []
    browser_session = sign_in(asgi_server.url, world.bob)
    for path in world.secret_files():
        response = browser_session.get(path)
        assert response.status_code == 200, path
    for path in world.never_served():
        assert browser_session.get(path).status_code == 404, path
    assert browser_session.get(world.article_pdf.get_absolute_url()).content == files.pdf()
    browser_session.close()


def test_streams_never_carry_the_secret_post(
    live_world: World, asgi_server: LiveServer, http
) -> None:  # noqa: ANN001
    """The public, local and hashtag streams of an outsider and of a former member, and
    the web page's live stream of a follower, stay silent while a secret post goes by;
    the public post sent after it arrives, proving the streams were live."""
    world = live_world
    base = asgi_server.url
    streams: list[tuple[str, SSEClient]] = []
    try:
        for who in ("outsider", "former"):
            token = _token(world.user(who))
            for stream in ("public", "public/local", "hashtag?tag=zqxkwhawk", "user"):
                separator = "&" if "?" in stream else "?"
                url = f"{base}/api/v1/streaming/{stream}{separator}access_token={token}"
                streams.append((f"{who} {stream}", SSEClient(url)))
        anonymous = SSEClient(f"{base}/api/v1/streaming/public")
        if anonymous.status == 200:
            streams.append(("anonymous public", anonymous))
        for name, stream in streams:
            assert stream.status == 200, name
        publish_post(
            world.bob.account,
            "kestrel zqxkwlive @carol #zqxkwhawk",
            visibility="public",
            community=world.community,
        )
        control = publish_post(
            world.bob.account, "kestrel live control #zqxkwhawk", visibility="public"
        )
        for name, stream in streams:
            events = stream.drain(1.0 if name == streams[0][0] else 0.3)
            payloads = " ".join(e.data for e in events)
            assert not leaked(payloads.replace("zqxkwhawk", "")), (name, payloads[:300])
            updates = [json.loads(e.data)["id"] for e in events if e.event == "update"]
            assert str(control.id) in updates, (name, updates)
    finally:
        for _name, stream in streams:
            stream.close()
