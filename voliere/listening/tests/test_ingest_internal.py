"""The internal network as a source: only posts readable by everyone ever reach listening,
through the real publish/edit/delete actions and their after-commit events."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import create_organisation, suspend_account
from voliere.communities.actions import create_community
from voliere.listening.internal import collect_post
from voliere.listening.models import (
    InboxItem,
    Mention,
    Source,
    SourceKind,
    TopicHourStat,
    TopicMatch,
)
from voliere.listening.pipeline.enrich import enrich
from voliere.posts.actions import delete_post, edit_post, publish_post, repost

# Negative and a question: if it leaked, it would also land in the inbox.
ANGRY = "Acme est vraiment nul, pourquoi personne ne répond ?"


@pytest.fixture
def topic(make_topic):
    return make_topic("Acme", "acme")


def publish(run_on_commit, author, text=ANGRY, **options):
    with run_on_commit():
        return publish_post(author, text, **options)


def assert_not_listened(post) -> None:
    assert not Mention.objects.filter(post_id=post.pk).exists()
    assert not Mention.objects.filter(network="internal", external_id=str(post.pk)).exists()
    assert not TopicMatch.objects.exists()
    assert not InboxItem.objects.exists()
    assert not TopicHourStat.objects.exists()


def test_public_post_is_collected_matched_and_routed(topic, bob, organisation, run_on_commit):
    post = publish(run_on_commit, bob.account, language="fr")
    mention = Mention.objects.get(post=post)
    assert (mention.network, mention.external_id) == ("internal", str(post.pk))
    assert mention.author_handle == "bob" and mention.url == post.get_absolute_url()
    assert mention.author_followers == bob.account.followers_count
    assert mention.source.kind == SourceKind.INTERNAL
    assert mention.source.organisation == organisation
    assert mention.sentiment == "negative" and mention.is_question
    assert TopicMatch.objects.get().topic == topic
    assert InboxItem.objects.get().mention == mention


@pytest.mark.parametrize("visibility", ["followers", "direct", "internal"])
def test_non_public_posts_never_reach_listening(topic, bob, visibility, run_on_commit):
    assert_not_listened(publish(run_on_commit, bob.account, visibility=visibility))


@pytest.mark.parametrize("kind", ["secret", "moderated"])
def test_secret_and_moderated_community_posts_never_reach_listening(
        topic, bob, kind, run_on_commit):
    community = create_community(bob.account, name=f"Insiders {kind}", kind=kind)
    assert_not_listened(publish(run_on_commit, bob.account, community=community))


def test_open_community_posts_are_collected(topic, bob, run_on_commit):
    community = create_community(bob.account, name="Fans", kind="open")
    post = publish(run_on_commit, bob.account, community=community)
    assert Mention.objects.filter(post=post).exists()


def test_suspended_authors_and_reposts_are_not_collected(topic, bob, carol, run_on_commit):
    suspend_account(bob.account)
    assert_not_listened(publish(run_on_commit, bob.account))
    original = publish(run_on_commit, carol.account, "Acme is fine")
    with run_on_commit():
        shared = repost(carol.account, original)
    assert Mention.objects.filter(post=original).exists()
    assert not Mention.objects.filter(post=shared).exists()
    assert Mention.objects.count() == 1


def test_nothing_is_collected_without_topics(bob, organisation, run_on_commit):
    publish(run_on_commit, bob.account)
    assert not Mention.objects.exists()
    assert not Source.objects.exists()


def test_every_organisation_gets_its_own_matches_on_one_mention(
        topic, bob, carol, make_topic, run_on_commit):
    globex = create_organisation(handle="globex", display_name="Globex", managers=[carol])
    theirs = make_topic("Rival", "acme", kind="competitor", organisation=globex)
    post = publish(run_on_commit, bob.account)
    assert Mention.objects.count() == 1
    assert set(TopicMatch.objects.values_list("topic_id", flat=True)) == {topic.pk, theirs.pk}
    assert Source.objects.filter(kind=SourceKind.INTERNAL).count() == 2
    assert collect_post(post.pk) == 2  # collecting again only finds the duplicate
    assert Mention.objects.count() == 1 and TopicMatch.objects.count() == 2


def test_deleted_post_is_forgotten_with_its_matches_counters_and_inbox(
        topic, bob, run_on_commit):
    post = publish(run_on_commit, bob.account)
    assert TopicHourStat.objects.get().count == 1
    with run_on_commit():
        delete_post(bob.account, post)
    assert not Mention.objects.exists()
    assert not TopicMatch.objects.exists() and not InboxItem.objects.exists()
    assert not TopicHourStat.objects.exists()


def test_edited_post_is_re_enriched_and_re_matched(topic, bob, make_topic, run_on_commit):
    globex = make_topic("Globex", "globex", kind="competitor")
    post = publish(run_on_commit, bob.account, "Acme is awful, I hate it.", language="en")
    assert not Mention.objects.get().is_question
    edited = "Globex is wonderful, do you love it too?"
    with run_on_commit():
        edit_post(bob.account, post, edited)
    mention = Mention.objects.get()
    found = enrich([edited], ["en"])[0]
    assert mention.text == edited and mention.is_question
    assert (mention.sentiment, mention.sentiment_score) == (found.sentiment, found.score)
    match = TopicMatch.objects.get()
    assert (match.topic, match.sentiment) == (globex, found.sentiment)
    stats = list(TopicHourStat.objects.values_list("topic_id", "sentiment", "count"))
    assert stats == [(globex.pk, found.sentiment, 1)]


def test_posts_that_stop_being_public_are_forgotten(topic, bob, carol, run_on_commit):
    """Suspending an author, or closing an open community, takes their collected posts
    (mentions, matches, counters, inbox items) out of listening."""
    from voliere.communities.actions import update_community

    by_bob = publish(run_on_commit, bob.account)
    community = create_community(carol.account, name="Fans", kind="open")
    in_community = publish(run_on_commit, carol.account, community=community)
    kept = publish(run_on_commit, carol.account, "Acme again, quietly")
    assert Mention.objects.count() == 3

    with run_on_commit():
        suspend_account(bob.account)
    assert not Mention.objects.filter(post=by_bob).exists()
    with run_on_commit():
        update_community(carol.account, community, name="Fans", description="",
                         rules="", kind="moderated")
    assert not Mention.objects.filter(post=in_community).exists()

    mention = Mention.objects.get()
    assert mention.post == kept
    assert list(TopicMatch.objects.values_list("mention_id", flat=True)) == [mention.id]
    assert sum(TopicHourStat.objects.values_list("count", flat=True)) == 1
    assert not InboxItem.objects.exclude(mention=mention).exists()
