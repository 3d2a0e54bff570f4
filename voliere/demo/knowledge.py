"""Demo knowledge: articles in blogs and communities, forum questions answered, unanswered
and solved, some validated and some waiting for review, so the knowledge pages look real.

Written through the knowledge actions (the same rules as real use), then back-dated over
the last weeks in a few UPDATEs. About sixty items: a second or two of `voliere demo`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from voliere.accounts.models import Account
from voliere.communities.models import Community, Membership
from voliere.demo.people import ADMIN_LOGIN, EMPLOYEE_LOGIN
from voliere.knowledge.actions import articles, forum, review
from voliere.knowledge.models import Answer, Article, Thread, ValidatorRole

ARTICLES = (
    ("Bien démarrer sur la plateforme : le guide du nouvel arrivant", "onboarding, plateforme"),
    ("How we cut our CI pipeline from 40 to 9 minutes", "ci, engineering"),
    ("Checklist sécurité avant une intervention sur site", "sécurité, terrain"),
    ("Writing release notes customers actually read", "communication, product"),
    ("Calibrer les capteurs de pression : méthode pas à pas", "capteurs, maintenance"),
    ("Our incident review template (blameless)", "incidents, sre"),
    ("Retour d'expérience : migration vers PostgreSQL 16", "postgresql, migration"),
    ("Five rules for accessible slide decks", "accessibility, design"),
    ("Comprendre la facturation client en 10 minutes", "finance, facturation"),
    ("Handling a social media crisis: the first hour", "communication, crisis"),
    ("Procédure de remplacement d'une vanne 3 bars", "vannes, maintenance"),
    ("Pairing with customers: what the Acme Family panel taught us", "customers, research"),
    ("Les bonnes pratiques de revue de code chez Acme", "code review, engineering"),
    ("A short guide to our data retention policy", "legal, data"),
    ("Organiser un afterwork formation réussi", "formation, rh"),
    ("Estimating projects without lying to yourself", "planning, management"),
    ("Mesurer la satisfaction client : NPS ou CSAT ?", "clients, mesure"),
    ("Setting up the 3D viewer for STL files", "3d, tools"),
    ("Glossaire des sigles internes", "onboarding, glossaire"),
    ("What we learned shipping the mobile app in 27 countries", "mobile, international"),
    ("Prévenir les troubles musculo-squelettiques au bureau", "santé, bureau"),
    ("Cost of a meeting: a calculator and some habits", "productivity, meetings"),
    ("Les étapes d'un appel d'offres public", "ventes, appels d'offres"),
    ("Monitoring pumps remotely with cheap sensors", "iot, maintenance"),
)
QUESTIONS = (
    ("Quel couple de serrage pour les brides DN50 ?", "maintenance, vannes"),
    ("Who owns the customer onboarding emails?", "customers, process"),
    ("Comment demander un accès VPN pour un prestataire ?", "it, vpn"),
    ("Is there a template for the quarterly business review?", "sales, templates"),
    ("Qui connaît la norme ISO 5208 ?", "normes, vannes"),
    ("Best way to export a dashboard to PDF?", "analytics, tools"),
    ("Où trouver les plans de la plateforme offshore B ?", "offshore, documents"),
    ("How do I book the big meeting room for 40 people?", "facilities"),
    ("Peut-on réutiliser les photos du salon sur les réseaux ?", "communication, droits"),
    ("Any experience with thermal cameras for leak detection?", "maintenance, iot"),
    ("Quel budget prévoir pour une formation Python ?", "formation, python"),
    ("Which PostgreSQL extension for fuzzy search?", "postgresql, search"),
    ("Comment déclarer un incident de sécurité ?", "sécurité, incidents"),
    ("Who can approve travel to Brazil?", "travel, process"),
    ("Un expert en corrosion des pipelines disponible cette semaine ?", "corrosion, expertise"),
    ("How do we answer a negative review on an app store?", "communication, customers"),
    ("Quelle est la procédure pour un arrêt de maintenance planifié ?", "maintenance"),
    ("Is the Acme Family panel open to new customers?", "customers, community"),
    ("Comment configurer la signature e-mail officielle ?", "it, communication"),
    ("Where are the brand guidelines for partner logos?", "brand, design"),
    ("Quelqu'un a-t-il testé l'impression 3D des pièces de rechange ?", "3d, maintenance"),
    ("What is the SLA for the internal help desk?", "it, support"),
    ("Comment calculer le ROI d'une communauté interne ?", "analytics, communautés"),
    ("Which laptop for heavy CAD work?", "it, cad"),
    ("Qui peut relire un article avant publication externe ?", "communication, validation"),
    ("How to onboard an intern in two days?", "onboarding, rh"),
)
BODY = (
    "## Contexte\n\n{title}.\n\nNous avons rassemblé ici ce qui marche sur le terrain, "
    "avec les erreurs à éviter.\n\n- Préparer le matériel la veille\n- Vérifier les "
    "**consignes de sécurité**\n- Noter chaque mesure dans le registre\n\n"
    "> Astuce : demandez à un·e collègue de relire avant d'intervenir.\n\n"
    "## Pour aller plus loin\n\nPosez vos questions dans le forum."
)
QUESTION_BODY = "{title}\n\nJ'ai cherché dans la documentation sans trouver. Merci d'avance !"
ANSWERS = (
    "Oui : regarde la procédure dans le wiki maintenance, section 4. Ça a marché pour nous.",
    "We did this last quarter — ask the ops team, they keep a **checklist** for it.",
    "Je te conseille de contacter directement l'équipe concernée, ils répondent vite.",
    "The short answer: it depends on the site. The long answer is in the validated article.",
    "Pour nous, la solution a été d'utiliser le modèle standard et de l'adapter.",
)


def _employees() -> list[Account]:
    return list(
        Account.objects.active()
        .filter(kind="person", organisation__handle_lower="acme", user__isnull=False)
        .order_by("id")[:120]
    )


def _community_members(limit: int) -> list[tuple[Community, list[Account]]]:
    """Non-empty communities with some of their members (secret ones included)."""
    found = []
    for community in Community.objects.order_by("id")[:limit]:
        members = list(
            Account.objects.active()
            .filter(pk__in=Membership.objects.filter(community=community).values("account_id"))
            .order_by("id")[:12]
        )
        if members:
            found.append((community, members))
    return found


def seed_knowledge(rng: random.Random, now: datetime) -> int:
    """Create the demo knowledge; returns the number of articles and questions."""
    people = _employees()
    if len(people) < 10:
        return 0
    by_handle = {
        a.handle_lower: a
        for a in Account.objects.filter(handle_lower__in=[EMPLOYEE_LOGIN[0], ADMIN_LOGIN[0]])
    }
    alice = by_handle.get(EMPLOYEE_LOGIN[0], people[0])
    admin = by_handle.get(ADMIN_LOGIN[0], people[1])
    # The demo administrator validates the instance's validated space.
    ValidatorRole.objects.get_or_create(account=admin, community=None)
    communities = _community_members(12)
    items: list[Article | Thread] = []

    def where(i: int) -> tuple[Account, Community | None]:
        if communities and i % 3 == 1:
            community, members = communities[i % len(communities)]
            return rng.choice(members), community
        return (alice if i % 7 == 0 else rng.choice(people)), None

    for i, (title, tags) in enumerate(ARTICLES):
        author, community = where(i)
        destination = (
            articles.Destination(community=community)
            if community
            else (articles.Destination(blog=author))
        )
        coauthors = [rng.choice(people)] if i % 4 == 0 else []
        article = articles.create_article(
            author,
            title=title,
            body=BODY.format(title=title),
            tags=tags,
            destination=destination,
            coauthors=coauthors,
            publish=i % 11 != 5,
            visibility="public" if i % 5 == 0 else "internal",
        )
        items.append(article)
        if not article.is_draft and i % 3 == 0:
            review.submit_for_validation(author, article)
            if community is None and author != admin and i % 2 == 0:
                review.validate_item(admin, article, revision=1, comment="Relu, conforme.")
    for i, (title, tags) in enumerate(QUESTIONS):
        asker, community = where(i + 1)
        thread = forum.ask_question(
            asker,
            title=title,
            body=QUESTION_BODY.format(title=title),
            tags=tags,
            community=community,
        )
        items.append(thread)
        pool = communities_members(communities, community) or people
        answerers = [p for p in rng.sample(pool, min(len(pool), 4)) if p != asker]
        answers = [
            forum.answer_question(p, thread, rng.choice(ANSWERS)) for p in answerers[: i % 4]
        ]
        for answer in answers:
            for voter in rng.sample(pool, min(len(pool), rng.randint(0, 3))):
                if voter != answer.author:
                    forum.vote_for_answer(voter, answer)
        if answers and i % 2 == 0:
            forum.accept_answer(asker, rng.choice(answers))
        if answers and community is None and i % 5 == 0 and asker != admin:
            review.submit_for_validation(asker, thread)
    _backdate(rng, items, now)
    return len(items)


def communities_members(
    communities: list[tuple[Community, list[Account]]], community: Community | None
) -> list[Account]:
    for candidate, members in communities:
        if candidate == community:
            return members
    return []


def _backdate(rng: random.Random, items: list[Article | Thread], now: datetime) -> None:
    """Spread creation over the last 60 days; answers arrive minutes to days later, so the
    time-to-answer figures are meaningful."""
    for item in items:
        created = now - timedelta(days=rng.uniform(1, 60))
        model = type(item)
        fields = {"created_at": created, "updated_at": created}
        if isinstance(item, Article) and not item.is_draft:
            fields["published_at"] = created
        model.objects.filter(pk=item.pk).update(**fields)
        if isinstance(item, Thread):
            moment = created
            first = accepted = None
            thread = Thread.objects.get(pk=item.pk)
            for answer in Answer.objects.filter(thread=thread).order_by("id"):
                moment += timedelta(minutes=rng.choice((20, 45, 90, 300, 1440, 4000)))
                Answer.objects.filter(pk=answer.pk).update(created_at=moment)
                first = first or moment
                if answer.pk == thread.accepted_answer_id:
                    accepted = moment + timedelta(hours=rng.uniform(0.5, 30))
            Thread.objects.filter(pk=item.pk).update(
                first_answer_at=first,
                accepted_at=accepted,
                last_activity_at=accepted or first or created,
            )
