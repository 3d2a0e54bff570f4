"""Schemathesis against the live server: every operation of the OpenAPI document, with
valid and invalid input, authenticated with a real token. Checks: never a 5xx, and every
answer (status code, content type, body) is one the document declares.

Bounded (`EXAMPLES` per operation and mode, no shrinking) so the whole run stays well
under a minute on a loaded 2-core machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from voliere.accounts.actions import set_skills
from voliere.api.tests.conftest import BASE
from voliere.communities.tests.factories import make_community
from voliere.knowledge.actions import forum
from voliere.posts.actions import publish_post

EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _seed(user) -> None:
    """Something for the lists to return, so bodies are checked, not only empty pages."""
    account = user.account
    set_skills(account, ["PostgreSQL"])
    community = make_community(user, name="Fuzz", slug="fuzz")
    publish_post(account, "Fuzzing the walrus", community=community)
    forum.ask_question(account, title="Fuzz?", body="Walrus", visibility="public")


def _fuzz(operation, mode: GenerationMode, examples: int, base_url: str,
          headers: dict[str, str], statuses: dict[str, set[int]]) -> None:
    """Run `examples` cases of `operation` in `mode`, recording the status codes seen."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        response = case.call_and_validate(
            base_url=base_url, headers=headers, checks=CHECKS, timeout=20
        )
        statuses.setdefault(operation.label, set()).add(response.status_code)

    run()


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    asgi_server, make_user, api_token
):
    user = make_user("fuzzer")
    _seed(user)
    headers = {"Authorization": f"Bearer {api_token(user, 'read write follow')}"}
    schema = schemathesis.openapi.from_url(f"{asgi_server.url}{BASE}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    statuses: dict[str, set[int]] = {}

    for operation in operations:
        for mode, examples in EXAMPLES.items():
            try:
                _fuzz(operation, mode, examples, asgi_server.url, headers, statuses)
            except Unsatisfiable:
                # Nothing in this operation can be made invalid (a string path
                # parameter, no body): only the valid cases apply.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert len(statuses) == len(operations)
    succeeded = {label for label, codes in statuses.items() if codes & {200, 201}}
    # The lists and searches answered real bodies, which were checked against the schema.
    assert {f"GET {BASE}/communities", f"GET {BASE}/organisations", f"GET {BASE}/search",
            f"GET {BASE}/threads", f"GET {BASE}/me"} <= succeeded, statuses
