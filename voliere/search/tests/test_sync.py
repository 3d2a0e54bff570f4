"""The index changes in the same transaction as the content it mirrors."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from voliere.accounts.actions import update_profile
from voliere.communities.actions import create_community, update_community
from voliere.posts.actions import delete_post, edit_post, publish_post, repost
from voliere.search import backends
from voliere.search.documents import MatchQuery
from voliere.search.tests.helpers import found_ids
from voliere.search.text import variants


def indexed(table: str, word: str) -> list[int]:
    """Raw index look-up, without any permission filter."""
    query = MatchQuery(required=((variants(word),),))
    return [hit.object_id for hit in backends.backend().newest(table, query, 100)]


@pytest.mark.django_db
def test_publish_edit_delete_are_seen_at_once(alice, bob):
    post = publish_post(alice.account, "Kickoff of the aurora project")
    assert found_ids(bob.account, "aurora") == [post.id]
    edit_post(alice.account, post, "Kickoff of the borealis project")
    assert found_ids(bob.account, "aurora") == []
    assert found_ids(bob.account, "borealis") == [post.id]
    delete_post(alice.account, post)
    assert found_ids(bob.account, "borealis") == []
    assert indexed("post", "borealis") == [], "a deleted post leaves no index row"


@pytest.mark.django_db(transaction=True)
def test_edit_visible_inside_the_transaction_and_rollback_leaves_nothing(alice, bob):
    kept = publish_post(alice.account, "Quarterly figures are out")
    with transaction.atomic():
        edit_post(alice.account, kept, "Quarterly numbers are out")
        assert found_ids(bob.account, "numbers") == [kept.id]
        transaction.set_rollback(True)
    assert found_ids(bob.account, "numbers") == []
    assert found_ids(bob.account, "figures") == [kept.id]

    with pytest.raises(RuntimeError), transaction.atomic():
        ghost = publish_post(alice.account, "A zeppelin was never announced")
        assert found_ids(bob.account, "zeppelin") == [ghost.id]
        raise RuntimeError("roll back")
    assert indexed("post", "zeppelin") == []


@pytest.mark.django_db
def test_reposts_are_not_indexed_twice(alice, bob):
    post = publish_post(alice.account, "Lighthouse release shipped")
    repost(bob.account, post)
    assert found_ids(bob.account, "lighthouse") == [post.id]


@pytest.mark.django_db
def test_profile_and_community_changes_reindex(alice, bob):
    update_profile(alice.account, job_title="Harbour pilot")
    assert found_ids(bob.account, "harbour", kind="people") == [alice.account.id]
    community = create_community(alice.account, name="Sailing club", description="Regattas")
    assert found_ids(bob.account, "regatta", kind="communities") == [community.id]
    update_community(
        alice.account, community, name="Sailing club", description="Windsurf", rules="", kind="open"
    )
    assert found_ids(bob.account, "regatta", kind="communities") == []
    assert found_ids(bob.account, "windsurf", kind="communities") == [community.id]
    community.delete()
    assert indexed("community", "windsurf") == []


@pytest.mark.django_db
def test_reindex_rebuilds_rows_written_without_signals(alice, bob):
    from voliere.posts.models import Post

    post = publish_post(alice.account, "Original wording")
    Post.objects.filter(pk=post.pk).update(text="Bulk imported wording about tulips")
    assert found_ids(bob.account, "tulips") == []
    call_command("reindex", stdout=io.StringIO())
    assert found_ids(bob.account, "tulips") == [post.id]
