"""Routing: which matched mentions land in an organisation's response inbox."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import create_affiliated, create_organisation
from voliere.listening.inbox.routing import route_matches
from voliere.listening.matches import save_matches
from voliere.listening.models import InboxItem, InboxReason, InboxState, TopicMatch
from voliere.listening.tests.test_inbox_helpers import brand_fixture, match_and_route  # noqa: F401
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


def test_negative_mention_enters_inbox_as_new(make_mention, brand):
    mention = make_mention("acme lost my parcel", sentiment="negative")
    created = match_and_route(mention, brand)
    assert len(created) == 1
    item = InboxItem.objects.get()
    assert (item.organisation_id, item.mention_id) == (brand.organisation_id, mention.pk)
    assert item.reason == InboxReason.NEGATIVE
    assert item.state == InboxState.NEW
    assert item.first_response_at is None


def test_question_enters_inbox_with_question_reason(make_mention, brand):
    match_and_route(make_mention("does acme ship to Lyon?", is_question=True), brand)
    assert InboxItem.objects.get().reason == InboxReason.QUESTION


def test_negative_question_is_recorded_as_negative(make_mention, brand):
    mention = make_mention("why is acme so bad?", is_question=True, sentiment="negative")
    match_and_route(mention, brand)
    assert InboxItem.objects.get().reason == InboxReason.NEGATIVE


@pytest.mark.parametrize("sentiment", ["neutral", "positive"])
def test_statement_that_is_not_negative_stays_out(make_mention, brand, sentiment):
    match_and_route(make_mention("acme is here", sentiment=sentiment), brand)
    assert not InboxItem.objects.exists()


def test_competitor_topic_alone_routes_nothing(make_mention, make_topic):
    rival = make_topic("Rival", "rival", kind="competitor")
    match_and_route(make_mention("rival is awful", sentiment="negative"), rival)
    assert not InboxItem.objects.exists()


def test_competitor_plus_own_topic_routes_once(make_mention, make_topic, brand):
    rival = make_topic("Rival", "rival", kind="competitor")
    mention = make_mention("acme and rival are both awful", sentiment="negative")
    match_and_route(mention, rival, brand)
    assert InboxItem.objects.filter(mention=mention).count() == 1


def test_several_topics_of_one_organisation_give_one_item(make_mention, make_topic, brand):
    product = make_topic("Rocket", "rocket", kind="product")
    campaign = make_topic("Launch", "#launch", kind="campaign")
    mention = make_mention("acme rocket #launch failed", sentiment="negative")
    created = match_and_route(mention, brand, product, campaign)
    assert len(created) == 1
    assert InboxItem.objects.count() == 1


def test_each_organisation_gets_its_own_item(make_mention, make_topic, brand, bob):
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Globex", "globex", organisation=other)
    mention = make_mention("acme and globex failed me", sentiment="negative")
    match_and_route(mention, brand, theirs)
    assert set(InboxItem.objects.values_list("organisation__handle", flat=True)) == {
        "acme", "globex",
    }


def test_routing_twice_adds_nothing(make_mention, make_topic, brand):
    mention = make_mention("acme broke it", sentiment="negative")
    match_and_route(mention, brand)
    item = InboxItem.objects.get()
    # A later topic matching the same mention (a backfill) must not add a second item.
    later = make_topic("Support", "broke")
    assert match_and_route(mention, later) == []
    assert route_matches(list(TopicMatch.objects.select_related("mention"))) == []
    assert list(InboxItem.objects.all()) == [item]


def _internal_mention(make_mention, author, text):
    post = publish_post(author, text)
    return make_mention(text, network="internal", external_id=str(post.pk), post=post,
                        sentiment="negative", author_handle=author.handle)


def test_organisation_own_post_is_not_routed(make_mention, brand, organisation):
    mention = _internal_mention(make_mention, organisation, "acme outage: we are on it")
    match_and_route(mention, brand)
    assert not InboxItem.objects.exists()


def test_manager_personal_post_is_not_routed(make_mention, brand, alice):
    mention = _internal_mention(make_mention, alice.account, "acme outage, sorry all")
    match_and_route(mention, brand)
    assert not InboxItem.objects.exists()


def test_affiliated_account_post_is_not_routed(make_mention, brand, organisation):
    france = create_affiliated(parent=organisation, handle="acmefr", display_name="Acme FR")
    match_and_route(_internal_mention(make_mention, france, "acme panne en cours"), brand)
    assert not InboxItem.objects.exists()


def test_member_post_is_routed_for_us_but_own_exclusion_is_per_organisation(
    make_mention, make_topic, brand, bob, carol,
):
    """Bob manages Globex: his complaint about acme is not Acme's to skip."""
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Globex", "acme", organisation=other)
    mention = _internal_mention(make_mention, bob.account, "acme lost my order")
    match_and_route(mention, brand, theirs)
    assert list(InboxItem.objects.values_list("organisation__handle", flat=True)) == ["acme"]


@pytest.mark.parametrize("count", [3, 30])
def test_routing_queries_do_not_grow_with_matches(
    make_mention, make_topic, brand, carol, count, django_assert_num_queries,
):
    product = make_topic("Rocket", "rocket", kind="product")
    mentions = [_internal_mention(make_mention, carol.account, f"acme bad {n}")
                for n in range(count)]
    mentions += [make_mention(f"acme bad {n}", sentiment="negative") for n in range(count)]
    matches = save_matches([(t.pk, m) for m in mentions for t in (brand, product)])
    # topics, post authors, affiliated accounts, managers, existing items, one insert
    with django_assert_num_queries(6):
        created = route_matches(matches)
    assert len(created) == 2 * count


def test_ingestion_routes_through_the_whole_pipeline(make_topic, organisation):
    """End to end: real enrichment (sentiment, question), matching, storage, routing."""
    from django.utils import timezone

    from voliere.listening.ingest import ingest
    from voliere.listening.models import Source
    from voliere.listening.records import IncomingPost

    make_topic("Acme", "acme")
    make_topic("Rival", "rival", kind="competitor")
    source = Source.objects.create(organisation=organisation, kind="import", name="Archive")
    texts = ["Acme is terrible, worst service ever, I hate it.", "Does Acme ship to Lyon?",
             "I love Acme, great team!", "Rival is terrible, worst service ever, I hate it."]
    posts = [IncomingPost(network="x", external_id=f"e2e{n}", text=text,
                          published_at=timezone.now()) for n, text in enumerate(texts)]
    ingest(posts, source=source)
    routed = dict(InboxItem.objects.values_list("mention__text", "reason"))
    assert routed == {texts[0]: InboxReason.NEGATIVE, texts[1]: InboxReason.QUESTION}
    ingest(posts, source=source)  # the same posts again: nothing new
    assert InboxItem.objects.count() == 2
