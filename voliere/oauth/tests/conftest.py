"""OAuth test helpers: a registered application and the PKCE pair of RFC 7636's example."""

from __future__ import annotations

import pytest

from tests.conftest import (  # noqa: F401 — hooks putting the SQLite test database in a file
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
from voliere.oauth import actions
from voliere.oauth.models import Application

REDIRECT = "https://client.example/callback"
# RFC 7636, appendix B.
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.fixture
def oauth_app(db) -> Application:
    return actions.register_application(
        name="Tusky", redirect_uris=[REDIRECT, "urn:ietf:wg:oauth:2.0:oob"],
        scopes="read write follow push", website="https://tusky.example",
    )
