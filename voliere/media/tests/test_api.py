"""The Mastodon media endpoints over real HTTP (uvicorn on loopback): upload, show,
describe, then a status with the media, with Mastodon.py and with plain requests."""

from __future__ import annotations

import httpx
import pytest
from django.test import Client

from conftest import PASSWORD
from voliere.accounts.actions import follow_account
from voliere.media.tests import files
from voliere.oauth import ratelimit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    ratelimit.reset_all()
    yield
    ratelimit.reset_all()


def token_for(server, user, scopes: str = "read write") -> str:
    """A token issued by the live server itself (its own signing key): an app registered
    over `/api/v1/apps`, then the password grant."""
    with httpx.Client(base_url=server.url, timeout=20) as http:
        app = http.post(
            "/api/v1/apps",
            data={
                "client_name": "Media test",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                "scopes": "read write follow",
            },
        ).json()
        answer = http.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "username": user.email,
                "password": PASSWORD,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "scope": scopes,
            },
        )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_upload_describe_and_show(asgi_server, alice, bob, version):
    token = token_for(asgi_server, alice)
    with httpx.Client(base_url=asgi_server.url, timeout=20) as http:
        created = http.post(
            f"/api/{version}/media",
            headers=bearer(token),
            files={"file": ("photo.jpg", files.jpeg_with_gps((800, 400)), "image/jpeg")},
            data={"description": "A harbour at dusk", "focus": "0.5,-0.25"},
        )
        assert created.status_code == 200, created.text
        media = created.json()
        assert media["type"] == "image" and media["description"] == "A harbour at dusk"
        assert media["meta"]["original"] == {
            "width": 800,
            "height": 400,
            "size": "800x400",
            "aspect": 2.0,
        }
        assert media["meta"]["small"]["width"] == 640
        assert media["meta"]["focus"] == {"x": 0.5, "y": -0.25}
        assert media["url"].startswith(asgi_server.url) and media["preview_url"]
        assert media["remote_url"] is None and media["blurhash"] is None

        # Trailing slash or not, the same resource; a PUT changes the description.
        shown = http.get(f"/api/v1/media/{media['id']}/", headers=bearer(token))
        assert shown.status_code == 200 and shown.json()["id"] == media["id"]
        changed = http.put(
            f"/api/v1/media/{media['id']}", headers=bearer(token), data={"description": "Dusk"}
        )
        assert changed.status_code == 200 and changed.json()["description"] == "Dusk"

        # The unattached file is not anyone's to fetch anonymously.
        assert http.get(media["url"]).status_code == 404
        # Someone else's media does not exist for them.
        bob_token = token_for(asgi_server, bob)
        other = http.get(f"/api/v1/media/{media['id']}", headers=bearer(bob_token))
        assert other.status_code == 404 and other.json() == {"error": "Record not found"}


def test_bad_uploads_are_422_with_the_reason(asgi_server, alice):
    token = token_for(asgi_server, alice)
    with httpx.Client(base_url=asgi_server.url, timeout=20) as http:
        fake = http.post(
            "/api/v2/media",
            headers=bearer(token),
            files={"file": ("x.png", b"<svg onload=alert(1)></svg>", "image/png")},
        )
        assert fake.status_code == 422
        assert (
            "“x.png” cannot be attached: its content looks like an SVG image"
            in (fake.json()["error"])
        )
        missing = http.post("/api/v2/media", headers=bearer(token), data={"description": "x"})
        assert missing.status_code == 422 and "file is missing" in missing.json()["error"]
        bad_focus = http.post(
            "/api/v1/media",
            headers=bearer(token),
            files={"file": ("a.png", files.image_bytes(), "image/png")},
            data={"focus": "3,3"},
        )
        assert bad_focus.status_code == 422


def test_scopes_and_tokens(asgi_server, alice):
    with httpx.Client(base_url=asgi_server.url, timeout=20) as http:
        upload = {"file": ("a.png", files.image_bytes(), "image/png")}
        assert http.post("/api/v2/media", files=upload).status_code == 401
        read_only = token_for(asgi_server, alice, "read")
        answer = http.post("/api/v2/media", headers=bearer(read_only), files=upload)
        assert answer.status_code == 403
        granular = token_for(asgi_server, alice, "write:media")
        assert http.post("/api/v2/media", headers=bearer(granular), files=upload).status_code == 200


def test_mastodon_py_posts_media_and_its_privacy_holds(asgi_server, alice, bob, carol, settings):
    from mastodon import Mastodon

    # This process reads the files the server wrote (its VOLIERE_DATA holds its log).
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": asgi_server.log_path.parent / "attachments"},
        },
    }
    follow_account(bob.account, alice.account)
    client = Mastodon(
        access_token=token_for(asgi_server, alice),
        api_base_url=asgi_server.url,
        version_check_mode="none",
        request_timeout=20,
    )
    media = client.media_post(
        files.pdf(), mime_type="application/pdf", file_name="plan.pdf", description="Site plan"
    )
    assert media["type"] == "unknown" and media["preview_url"] is None
    status = client.status_post("Plans attached", media_ids=[media["id"]], visibility="private")
    assert [m["id"] for m in status["media_attachments"]] == [media["id"]]
    url = status["media_attachments"][0]["url"]
    with httpx.Client(timeout=20) as http:
        # Followers-only: nothing for anonymous callers over HTTP...
        assert http.get(url).status_code == 404
    # ...the file for a follower's session, nothing for a stranger's (same view, in process).
    path = url.removeprefix(asgi_server.url)
    follower, stranger = Client(), Client()
    follower.force_login(bob)
    stranger.force_login(carol)
    answer = follower.get(path)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == files.pdf()
    assert answer["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
    assert stranger.get(path).status_code == 404
