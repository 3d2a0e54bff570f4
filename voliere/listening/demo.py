"""The demo's command center: what the public says about Acme and its competitors.

Called by `voliere.demo.seed.seed_demo` after the network exists. Acme gets watch topics
(its brand, two products, a campaign, two competitors), an import source holding about
2,000 public posts of the last 30 days written here (French and English, with a daily
rhythm), and its internal source fed with the network's public posts. The story the
community manager finds: a burst of complaints about an Acme Cloud outage in the last
hours (relayed by a high-reach account), a new Globex campaign hashtag, and questions
waiting in the response inbox. Everything goes through the real ingestion (enrichment,
matching, statistics, inbox routing) and the real alert detection, so the demo shows
what the product computes, not numbers typed in here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import transaction

from voliere.accounts.models import Account, User
from voliere.listening.alerts.actions import run_detection
from voliere.listening.ingest import ingest
from voliere.listening.internal import incoming_from_post, internal_source, listenable_posts
from voliere.listening.models import (
    InboxItem,
    InboxState,
    Source,
    SourceKind,
    SourceState,
    TopicKind,
)
from voliere.listening.records import IncomingPost
from voliere.listening.topics.actions import create_topic

DAYS = 30
TOPICS = (
    ("Acme", TopicKind.BRAND, 'acme OR #acme OR @acme OR "acme corp"'),
    ("Acme Cloud", TopicKind.PRODUCT, '"acme cloud" OR #acmecloud'),
    ("Acme Rocket Skates", TopicKind.PRODUCT, '"rocket skates" OR #rocketskates'),
    ("Summer campaign", TopicKind.CAMPAIGN, "#acmesummer OR #acmeété"),
    ("Globex", TopicKind.COMPETITOR, "globex OR #globex OR @globex"),
    ("Initech", TopicKind.COMPETITOR, "initech OR #initech"),
)
SUBJECTS = ("Acme", "Acme Cloud", "les Rocket Skates d'Acme", "Acme Rocket Skates", "Globex",
            "Initech", "#Acme", "@acme")
TEMPLATES = {
    "fr": {
        "positive": ("Franchement {s}, c'est top. Bravo à l'équipe !",
                     "Très contente de {s}, service client rapide et efficace 👏",
                     "Je recommande {s} les yeux fermés.",
                     "Super expérience avec {s} aujourd'hui, merci !"),
        "neutral": ("{s} annonce un nouveau partenariat à Lyon.",
                    "Article intéressant sur {s} dans la presse ce matin.",
                    "Réunion avec {s} prévue mardi prochain.",
                    "{s} sera présent au salon VivaTech."),
        "negative": ("Encore une panne chez {s}, c'est inadmissible.",
                     "Très déçu par {s}, personne ne répond au support.",
                     "{s} m'a facturé deux fois, remboursez-moi !",
                     "Je ne recommande pas {s}, vraiment nul."),
        "question": ("Quelqu'un sait si {s} fonctionne avec un compte pro ?",
                     "Comment on contacte le support de {s} ?"),
    },
    "en": {
        "positive": ("Loving {s} so far, great job team!",
                     "{s} support sorted my issue in five minutes. Impressed 👏",
                     "Best purchase this year: {s}.",
                     "Great experience with {s} today, thanks!"),
        "neutral": ("{s} announced a new office in Berlin.",
                    "Reading the {s} quarterly report this morning.",
                    "{s} will be at Web Summit next week.",
                    "Meeting the {s} team on Tuesday."),
        "negative": ("Another outage at {s}, this is unacceptable.",
                     "Really disappointed with {s}, support never answers.",
                     "{s} charged me twice, I want a refund!",
                     "Would not recommend {s}, terrible service."),
        "question": ("Does anyone know if {s} works with a business account?",
                     "How do I reach {s} support?"),
    },
}
OUTAGE = {
    "fr": ("Acme Cloud est en panne depuis ce matin, nos équipes sont bloquées #AcmeDown",
           "Toujours aucune nouvelle d'Acme Cloud, 3 heures de panne ! #AcmeDown",
           "Panne Acme Cloud : aucune communication, c'est scandaleux #AcmeDown"),
    "en": ("Acme Cloud has been down all morning, our whole team is stuck #AcmeDown",
           "Still no word from Acme Cloud after 3 hours of outage! #AcmeDown",
           "Acme Cloud outage and zero communication, unacceptable #AcmeDown"),
}
CAMPAIGN = ("Globex lance #GlobexSpring : -20 % sur toute la gamme logistique !",
            "Loving the new #GlobexSpring offers from Globex",
            "#GlobexSpring is everywhere today, Globex went big on this one")


def seed_listening(rng: random.Random, now: datetime) -> int:
    """Topics, sources and collected posts for @acme; returns the number of mentions."""
    acme = Account.objects.by_handle("acme").get()
    with transaction.atomic():
        topics = [create_topic(acme, name=name, kind=kind, query=query)
                  for name, kind, query in TOPICS]
        imported = Source.objects.create(
            organisation=acme, kind=SourceKind.IMPORT, name="Public posts (sample)",
            state=SourceState.PAUSED,
        )
        result = ingest(_public_posts(rng, now), source=imported)
        internal = ingest((incoming_from_post(post) for post in listenable_posts().iterator()),
                          source=internal_source(acme))
        run_detection([topic.pk for topic in topics], now=now)
        _work_the_inbox(rng, acme, now)
    return result.new + internal.new


def _public_posts(rng: random.Random, now: datetime) -> Iterator[IncomingPost]:
    number = 0
    start = now - timedelta(days=DAYS)
    for day in range(DAYS):
        for _ in range(rng.randint(45, 75)):
            number += 1
            hour = min(23, max(0, int(rng.gauss(14, 4))))
            moment = start + timedelta(days=day, hours=hour, minutes=rng.randint(0, 59))
            if moment >= now - timedelta(hours=6):
                continue  # the last hours belong to the outage below
            lang = rng.choice(("fr", "fr", "en"))
            tone = rng.choices(("positive", "neutral", "negative", "question"),
                               weights=(4, 5, 2, 1))[0]
            text = rng.choice(TEMPLATES[lang][tone]).format(s=rng.choice(SUBJECTS))
            if tone == "positive" and day >= DAYS - 21 and rng.random() < 0.3:
                text += " #AcmeSummer" if lang == "en" else " #AcmeÉté"
            yield _post(rng, number, text, moment, lang)
    for minutes in range(0, 5 * 60, 3):  # the Acme Cloud outage: ~100 posts in 5 hours
        number += 1
        lang = rng.choice(("fr", "en"))
        yield _post(rng, number, rng.choice(OUTAGE[lang]), now - timedelta(minutes=minutes + 1),
                    lang)
    number += 1
    yield _post(rng, number, "Acme Cloud down for hours and no status page update. "
                "Teams relying on it should plan a fallback. #AcmeDown",
                now - timedelta(minutes=40), "en", handle="techwatch_daily", followers=184_000)
    for hours in range(1, 20):  # launched within the last day: a new hashtag
        number += 1
        yield _post(rng, number, CAMPAIGN[hours % len(CAMPAIGN)],
                    now - timedelta(hours=hours, minutes=rng.randint(0, 59)), "fr")


def _work_the_inbox(rng: random.Random, acme: Account, now: datetime) -> None:
    """What the community manager did before today: items enter the inbox minutes after
    their post, those older than two days were answered (a few closed after that), in
    minutes to hours; the recent ones wait. Written as the inbox actions would have."""
    manager = User.objects.filter(organisation_roles__organisation=acme).order_by("pk").first()
    items = list(InboxItem.objects.filter(organisation=acme).select_related("mention"))
    for item in items:
        item.created_at = item.mention.published_at + timedelta(minutes=rng.randint(1, 10))
        if item.mention.published_at < now - timedelta(days=2):
            item.state = InboxState.ANSWERED
            item.first_response_at = item.created_at + timedelta(
                minutes=int(rng.lognormvariate(4.5, 0.9)))
            item.responded_by = item.assignee = manager
            item.reply_text = REPLIES[item.mention.lang == "en"]
            if rng.random() < 0.3:
                item.state = InboxState.CLOSED
                item.closed_at = item.first_response_at + timedelta(hours=rng.randint(1, 48))
    InboxItem.objects.bulk_update(
        items, ["created_at", "state", "first_response_at", "responded_by", "assignee",
                "reply_text", "closed_at"], batch_size=500)


REPLIES = ("Bonjour, merci pour votre message : nous regardons et revenons vers vous en "
           "message privé.", "Hi, thanks for reaching out: we're on it and will follow up "
           "by direct message.")


def _post(rng: random.Random, number: int, text: str, moment: datetime, lang: str, *,
          handle: str = "", followers: int = 0) -> IncomingPost:
    handle = handle or f"{rng.choice(('marie', 'tom', 'li', 'sam', 'ines', 'alex'))}_{number % 97}"
    return IncomingPost(
        network="x", external_id=f"demo-{number}", text=text, published_at=moment,
        url=f"https://x.com/{handle}/status/{number}", author_handle=handle,
        author_name=handle.replace("_", " ").title(),
        author_followers=followers or int(rng.paretovariate(1.2) * 80), lang=lang,
    )
