"""Sentences the demo company posts, in French and English.

A post is drawn by `compose_post(rng, language, mention)`: a template filled with a
product, an event, a city, a colleague's handle, and followed by zero to two hashtags.
Deterministic for a given `random.Random` state.
"""

from __future__ import annotations

import random

PRODUCTS = ("Acme Rocket Skates", "Acme Cloud", "Acme Anvil 3000", "Acme Portal", "Acme Sensor",
            "Acme Tracker", "l'appli Acme Go", "Acme Analytics")
EVENTS = ("VivaTech", "le salon Produrable", "notre Tech Day", "la convention annuelle",
          "Web Summit", "le Forum RSE", "notre afterwork formation", "Hannover Messe")
CITIES = ("Paris", "Lyon", "Berlin", "London", "Nantes", "Munich", "Lille", "Montréal")
JOBS = ("développeur·se Python", "Key Account Manager", "data scientist", "chargé·e de RH",
        "Support Engineer", "Product Marketing Manager", "alternant·e en communication")

TAGS = {
    "product": ("AcmeLaunch", "Innovation", "AcmeCloud", "Produit"),
    "event": ("VivaTech", "Événement", "AcmeTechDay", "Innovation"),
    "job": ("Recrutement", "Hiring", "JobOffer", "MarqueEmployeur"),
    "support": ("Support", "AcmeHelp", "Feedback"),
    "csr": ("RSE", "CSR", "Sustainability", "Diversité"),
    "life": ("TeamAcme", "VieDeBureau", "Afterwork", "Onboarding"),
    "tech": ("Python", "DevOps", "OpenSource", "IA", "Cybersécurité"),
}

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "product": (
            "Grande nouvelle : {product} est disponible dès aujourd'hui pour tous nos clients !",
            "On a passé six mois à retravailler {product}. Vos retours sont les bienvenus.",
            "Démo de {product} ce jeudi à {city}, qui vient ? {mention}",
            "La nouvelle version de {product} réduit la consommation d'énergie de 30 %.",
            "Petit retour d'expérience sur le déploiement de {product} chez un grand client.",
        ),
        "event": (
            "Rendez-vous à {event} la semaine prochaine, stand B12. Venez nous dire bonjour !",
            "Merci à toutes et à tous pour {event}, quelle énergie !",
            "Les slides de notre intervention à {event} sont en ligne.",
            "{mention} présentera nos travaux à {event}, à ne pas manquer.",
        ),
        "job": (
            "On recrute un·e {job} à {city} ! Envoyez-moi un message si ça vous tente.",
            "Notre équipe grandit : poste de {job} ouvert, CDI, télétravail partiel.",
            "Vous connaissez un·e {job} motivé·e ? La cooptation est ouverte jusqu'à fin du mois.",
        ),
        "support": (
            "Quelqu'un sait comment exporter les rapports de {product} en CSV ?",
            "Depuis la mise à jour, {product} me demande de me reconnecter chaque matin. Normal ?",
            "{mention} tu aurais une doc sur l'intégration de {product} avec notre ERP ?",
            "Astuce du jour : dans {product}, Ctrl+K ouvre la recherche partout.",
        ),
        "csr": (
            "Notre bilan carbone 2025 est publié : -18 % d'émissions sur le site de {city}.",
            "Journée solidaire ce vendredi : 120 collègues aux côtés des associations locales.",
            "Le comité RSE cherche des volontaires pour le plan mobilité douce.",
        ),
        "life": (
            "Premier jour chez Acme aujourd'hui, merci pour l'accueil {mention} !",
            "Afterwork ce soir au bureau de {city}, on vous attend à partir de 18 h.",
            "La cantine de {city} propose enfin un menu végétarien tous les jours.",
            "Bravo à l'équipe de {city} pour ce trimestre record !",
        ),
        "tech": (
            "Migration de notre base vers PostgreSQL 16 terminée sans coupure.",
            "Atelier interne Python jeudi : tests, typage et bonnes pratiques. {mention} anime.",
            "On ouvre en open source notre bibliothèque de monitoring de {product}.",
            "Post-mortem de l'incident de mardi publié sur le wiki. Merci à l'astreinte !",
        ),
    },
    "en": {
        "product": (
            "Big news: {product} is now available to every customer!",
            "We spent six months reworking {product}. Feedback welcome.",
            "Live demo of {product} on Thursday in {city}. Who's in? {mention}",
            "The new {product} cuts energy use by 30%.",
            "A short write-up on rolling out {product} at a major customer.",
        ),
        "event": (
            "See you at {event} next week, booth B12. Come and say hi!",
            "Thank you all for {event}, what a day!",
            "Our slides from {event} are online.",
            "{mention} is presenting our work at {event}, don't miss it.",
        ),
        "job": (
            "We're hiring a {job} in {city}! DM me if you're interested.",
            "Our team is growing: {job} position open, permanent, hybrid.",
            "Know a great {job}? Referrals are open until the end of the month.",
        ),
        "support": (
            "Does anyone know how to export {product} reports as CSV?",
            "Since the update, {product} asks me to sign in again every morning. Expected?",
            "{mention} do you have docs on connecting {product} to our ERP?",
            "Tip of the day: in {product}, Ctrl+K opens search everywhere.",
        ),
        "csr": (
            "Our 2025 carbon report is out: emissions down 18% at the {city} site.",
            "Volunteering day on Friday: 120 colleagues helping local charities.",
            "The sustainability committee is looking for volunteers for the green commute plan.",
        ),
        "life": (
            "First day at Acme today, thanks for the warm welcome {mention}!",
            "Afterwork tonight at the {city} office, from 6 pm.",
            "Congrats to the {city} team for a record quarter!",
        ),
        "tech": (
            "Database migration to PostgreSQL 16 done with zero downtime.",
            "Python workshop on Thursday: testing, typing, good practices. {mention} hosts.",
            "We're open-sourcing our monitoring library for {product}.",
            "The post-mortem of Tuesday's incident is on the wiki. Thanks to the on-call team!",
        ),
    },
}

REPLIES = {
    "fr": (
        "Super nouvelle, bravo à toute l'équipe !",
        "Merci pour le partage.",
        "Je suis partant·e, tu peux m'ajouter ?",
        "Bonne question, je regarde et je reviens vers toi.",
        "C'est corrigé dans la prochaine version normalement.",
        "Top ! On en parle en réunion demain ?",
        "Intéressant. Vous avez des chiffres plus détaillés ?",
        "J'ai eu le même souci, la doc est sur le wiki.",
        "Hâte de voir ça !",
        "Je transmets à l'équipe concernée.",
    ),
    "en": (
        "Great news, well done everyone!", "Thanks for sharing.", "Count me in!",
        "Good question, let me check and get back to you.", "Should be fixed in the next release.",
        "Nice! Shall we discuss it tomorrow?", "Interesting. Do you have more detailed numbers?",
        "Had the same issue, the docs are on the wiki.", "Can't wait to see it!",
        "Forwarding to the right team.",
    ),
}

DIRECT = {
    "fr": ("tu as deux minutes pour un point sur le dossier {product} ?",
           "je t'envoie le compte rendu de la réunion, dis-moi si ça te va.",
           "merci pour ton aide d'hier, ça m'a sauvé la journée !"),
    "en": ("do you have two minutes to talk about the {product} deal?",
           "sending you the meeting notes, let me know if they look right.",
           "thanks for your help yesterday, you saved my day!"),
}

CATEGORY_WEIGHTS = {"product": 4, "event": 2, "job": 2, "support": 3, "csr": 2, "life": 3,
                    "tech": 3}


def compose_post(rng: random.Random, language: str, mention: str) -> str:
    """An original post in `language`; `mention` is a handle used when the template wants one."""
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    template = rng.choice(TEMPLATES[language][category])
    text = template.format(
        product=rng.choice(PRODUCTS), event=rng.choice(EVENTS), city=rng.choice(CITIES),
        job=rng.choice(JOBS), mention=f"@{mention}",
    )
    tags = rng.sample(TAGS[category], k=rng.choice((0, 1, 1, 2)))
    if tags:
        text += "\n\n" + " ".join(f"#{tag}" for tag in tags)
    return text


def compose_reply(rng: random.Random, language: str, to_handle: str) -> str:
    return f"@{to_handle} {rng.choice(REPLIES[language])}"


def compose_direct(rng: random.Random, language: str, to_handle: str) -> str:
    return f"@{to_handle} " + rng.choice(DIRECT[language]).format(product=rng.choice(PRODUCTS))
