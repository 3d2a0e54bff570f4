"""Topic actions: validation names the field and saves nothing; a changed query bumps the
version, drops old matches and counts, and schedules a backfill after commit."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import create_organisation
from voliere.core.exceptions import InvalidInput
from voliere.listening.matches import save_matches
from voliere.listening.models import BackfillState, Topic, TopicHourStat, TopicMatch
from voliere.listening.query import QuerySyntaxError
from voliere.listening.topics import actions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "  "}, "name", "A topic needs a name."),
    ({"name": "x" * 81}, "name", "longer than 80"),
    ({"kind": "rival"}, "kind", "Unknown topic kind"),
    ({"query": 'acme "open'}, "query", "unclosed quote at 5"),
    ({"query": ""}, "query", "empty query"),
])
def test_create_refuses_bad_input_naming_the_field(organisation, fields, field, message):
    values = {"name": "Acme", "query": "acme", "kind": "brand", **fields}
    with pytest.raises(InvalidInput) as caught:
        actions.create_topic(organisation, **values)
    assert caught.value.field == field
    assert message in caught.value.message
    assert not Topic.objects.exists()


def test_query_error_keeps_its_position(organisation):
    with pytest.raises(QuerySyntaxError) as caught:
        actions.create_topic(organisation, name="Acme", query="acme OR")
    assert caught.value.position == 5


def test_names_are_unique_per_organisation_ignoring_case(organisation, bob):
    actions.create_topic(organisation, name="Acme", query="acme")
    with pytest.raises(InvalidInput) as caught:
        actions.create_topic(organisation, name=" ACME ", query="acme cloud")
    assert caught.value.field == "name"
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    actions.create_topic(other, name="Acme", query="acme")  # another organisation: fine
    assert Topic.objects.count() == 2


def test_create_schedules_a_backfill_after_commit(organisation, make_mention, run_on_commit):
    make_mention("ACME rocks", network="internal")
    with run_on_commit():
        topic = actions.create_topic(organisation, name="Acme", query="acme")
    topic.refresh_from_db()
    assert topic.backfill_state == BackfillState.IDLE
    assert topic.backfill_total == topic.backfill_done == 1
    assert topic.matches.count() == 1


def test_changing_the_query_drops_old_matches_and_bumps_the_version(
        organisation, make_topic, make_mention, run_on_commit):
    topic = make_topic("Acme", "acme")
    old = make_mention("acme news", network="internal")
    new = make_mention("globex news", network="internal")
    save_matches([(topic.pk, old)])
    with run_on_commit():
        updated = actions.update_topic(topic, name="Acme", query="globex", kind="brand")
    assert updated.query_version == 2
    assert list(TopicMatch.objects.filter(topic=topic).values_list("mention_id", flat=True)) == [
        new.pk]
    assert sum(TopicHourStat.objects.filter(topic=topic).values_list("count", flat=True)) == 1


def test_same_meaning_keeps_matches_and_version(organisation, make_topic, make_mention,
                                                run_on_commit):
    topic = make_topic("Acme", "acme cloud")
    save_matches([(topic.pk, make_mention("acme cloud", network="internal"))])
    with run_on_commit():
        updated = actions.update_topic(topic, name="Acme Corp", query=" ACMÉ  AND cloud ",
                                       kind="competitor")
    assert (updated.query_version, updated.name, updated.kind) == (1, "Acme Corp",
                                                                   "competitor")
    assert updated.query == "ACMÉ  AND cloud"
    assert topic.matches.count() == 1


def test_failed_update_changes_nothing(organisation, make_topic, make_mention):
    topic = make_topic("Acme", "acme")
    make_topic("Globex", "globex")
    save_matches([(topic.pk, make_mention("acme", network="internal"))])
    for bad in ({"name": "globex", "query": "other"}, {"name": "Acme", "query": "other ("}):
        with pytest.raises(InvalidInput):
            actions.update_topic(topic, kind="brand", **bad)
    topic.refresh_from_db()
    assert (topic.name, topic.query, topic.query_version) == ("Acme", "acme", 1)
    assert topic.matches.count() == 1


def test_pause_resume_and_delete(organisation, make_topic, make_mention):
    topic = make_topic("Acme", "acme")
    mention = make_mention("acme", network="internal")
    save_matches([(topic.pk, mention)])
    assert actions.set_topic_active(topic, False).is_active is False
    assert Topic.objects.get(pk=topic.pk).is_active is False
    actions.set_topic_active(topic, True)
    assert Topic.objects.get(pk=topic.pk).is_active is True
    actions.delete_topic(topic)
    assert not Topic.objects.exists() and not TopicMatch.objects.exists()
    assert not TopicHourStat.objects.exists()
    mention.refresh_from_db()  # the mention stays


def test_an_organisation_has_a_bounded_number_of_topics(organisation, monkeypatch):
    monkeypatch.setattr(actions, "MAX_TOPICS", 2)
    actions.create_topic(organisation, name="One", query="one")
    actions.create_topic(organisation, name="Two", query="two")
    with pytest.raises(InvalidInput, match="at most 2 topics"):
        actions.create_topic(organisation, name="Three", query="three")
    assert Topic.objects.filter(organisation=organisation).count() == 2
