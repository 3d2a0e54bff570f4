"""Demo ask-an-expert history: questions routed to experts over the last twelve weeks,
answered within minutes to a few hours, next to questions asked the old way (no routing)
that waited days — so the time-to-answer report tells the "ten days down to one hour"
story of PRODUCT.md story 12 on a fresh demo.

Written through the actions (`ask_experts`, `forum.answer_question`, `forum.accept_answer`)
then back-dated in a few UPDATEs, like the knowledge demo. Called by `voliere.demo.seed`
after the knowledge demo; about fifty questions, a second or two.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from voliere.accounts.models import Account
from voliere.expertise.actions import ask_experts
from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.knowledge.actions import forum
from voliere.knowledge.models import Answer, Thread

# (subject the experts are found on, question title)
ROUTED = (
    ("PostgreSQL", "Requête PostgreSQL lente sur la table des commandes : un index suffit ?"),
    ("Kubernetes", "Our Kubernetes pods restart every night at 2 am — any idea why?"),
    ("RGPD", "Peut-on garder les CV des candidats plus de deux ans (RGPD) ?"),
    ("Supply chain", "Supply chain: how do we model a second supplier for the valves?"),
    ("Négociation", "Négociation grands comptes : remise maximale sans validation ?"),
    ("Trésorerie", "Prévision de trésorerie : quel modèle Excel utiliser ?"),
    ("Sécurité", "Sécurité : faut-il chiffrer les sauvegardes des postes terrain ?"),
    ("Impression 3D", "Impression 3D d'une pièce de rechange en PETG : résistance à 80 °C ?"),
    ("Communication de crise", "Crisis communication: who speaks first after an incident?"),
    ("Machine learning", "Machine learning for predictive maintenance: where to start?"),
    ("Droit du travail", "Droit du travail : astreintes le week-end pour l'équipe offshore ?"),
    ("Salesforce", "Salesforce: how do I merge two duplicate customer accounts?"),
    ("Lean", "Lean : comment lancer un chantier 5S sur la ligne 2 ?"),
    ("Terraform", "Terraform state is locked after a failed apply, how to unlock safely?"),
    ("Propriété intellectuelle", "Brevet ou secret industriel pour le nouveau joint ?"),
    ("Statistiques", "Statistiques : quel test pour comparer deux lots de capteurs ?"),
    ("Zendesk", "Zendesk macros for refund requests: do we have a template?"),
    ("Paie", "Paie : comment traiter une prime exceptionnelle en cours de mois ?"),
    ("Électronique", "Électronique : quel capteur de pression pour une ligne 3 bars ?"),
    ("Observabilité", "Observability: which alerts should page the on-call engineer?"),
    ("Audit", "Audit interne : quels documents préparer pour la visite de mars ?"),
    ("Formation", "Formation : budget pour une session Python de deux jours ?"),
    ("Appels d'offres", "Appel d'offres public : délai de réponse habituel ?"),
    ("Chimie", "Chimie : compatibilité du joint EPDM avec le glycol ?"),
)
OLD_WAY = (
    "Qui s'occupe des badges d'accès au site de Lyon ?",
    "Where can I find last year's supplier contracts?",
    "Quelqu'un sait réparer l'imprimante du 3e étage ?",
    "Who approves the budget for the trade fair booth?",
    "Comment obtenir les plans électriques de l'atelier B ?",
    "Is there a checklist for decommissioning a server?",
    "Qui connaît le fournisseur des vannes haute pression ?",
    "How do we request a new cost centre?",
    "Comment déclarer un accident de trajet ?",
    "Where is the template for customer case studies?",
    "Qui peut valider une dérogation qualité ?",
    "Which team owns the intranet search?",
    "Procédure pour un prêt de matériel de mesure ?",
    "How long do we keep CCTV footage?",
    "Qui gère les relations avec l'école d'ingénieurs ?",
    "Any guidance on exporting dual-use equipment?",
)
BODY = "{title}\n\nMerci d'avance pour votre aide — c'est assez urgent pour l'équipe."
ANSWER = "Oui : voici ce que nous faisons. {detail} Je peux t'appeler si besoin."
DETAILS = (
    "Nous avons une procédure interne, je te l'envoie.",
    "We had the same problem last month; the fix is in the runbook.",
    "La réponse courte : oui, avec l'accord du responsable.",
    "Check the validated article on this topic, section 3.",
)


def _people() -> list[Account]:
    return list(
        Account.objects.active()
        .filter(kind="person", organisation__handle_lower="acme", user__isnull=False)
        .order_by("id")[:200]
    )


def _backdate(
    thread: Thread, asked: datetime, first: datetime | None, accepted: datetime | None
) -> None:
    Thread.objects.filter(pk=thread.pk).update(
        created_at=asked,
        updated_at=asked,
        first_answer_at=first,
        accepted_at=accepted,
        last_activity_at=accepted or first or asked,
    )
    if first is not None:
        Answer.objects.filter(thread=thread).update(created_at=first)


def _routed(rng: random.Random, people: list[Account], now: datetime) -> int:
    for i, (subject, title) in enumerate(ROUTED):
        asker = rng.choice(people)
        question = ask_experts(
            asker,
            query=subject,
            title=title,
            body=BODY.format(title=title),
            tags=subject,
            experts=3,
        )
        asked = now - timedelta(days=rng.uniform(1, 84))
        RoutedQuestion.objects.filter(pk=question.pk).update(created_at=asked)
        ExpertRoute.objects.filter(question=question).update(created_at=asked)
        expert = question.routes.select_related("expert").first()
        first = accepted = None
        if expert is not None and i % 8 != 7:  # a few still wait for an answer
            answer = forum.answer_question(
                expert.expert, question.thread, ANSWER.format(detail=rng.choice(DETAILS))
            )
            first = asked + timedelta(minutes=rng.choice((12, 25, 40, 55, 70, 95, 150)))
            if i % 3 != 2:
                forum.accept_answer(asker, answer)
                accepted = first + timedelta(minutes=rng.uniform(20, 240))
        _backdate(question.thread, asked, first, accepted)
    return len(ROUTED)


def _old_way(rng: random.Random, people: list[Account], now: datetime) -> int:
    for i, title in enumerate(OLD_WAY):
        asker = rng.choice(people)
        thread = forum.ask_question(asker, title=title, body=BODY.format(title=title))
        asked = now - timedelta(days=rng.uniform(14, 84))
        first = accepted = None
        if i % 5 != 4:
            helper = rng.choice([p for p in people if p != asker])
            answer = forum.answer_question(helper, thread, ANSWER.format(detail=DETAILS[0]))
            first = asked + timedelta(days=rng.uniform(3, 14))
            if i % 2 == 0:
                forum.accept_answer(asker, answer)
                accepted = first + timedelta(days=rng.uniform(0.5, 4))
        _backdate(thread, asked, first, accepted)
    return len(OLD_WAY)


def seed_expertise(rng: random.Random, now: datetime) -> int:
    """Create the demo questions; returns how many. Needs the demo's people (skills)."""
    people = _people()
    if len(people) < 10:
        return 0
    return _routed(rng, people, now) + _old_way(rng, people, now)
