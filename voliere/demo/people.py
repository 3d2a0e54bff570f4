"""Who works at Acme and around it: names, departments, titles, skills, places.

Plain data, no database access: `voliere.demo.seed` draws from it with a seeded random
generator so every demo instance holds the same company.
"""

from __future__ import annotations

FRENCH_FIRST = (
    "Camille Léa Manon Chloé Inès Sarah Julie Emma Claire Lucie Pauline Mathilde Élodie Aurélie "
    "Nathalie Sophie Isabelle Céline Margaux Anaïs Hugo Lucas Thomas Nicolas Julien Antoine "
    "Mathieu Pierre Maxime Romain Alexandre Guillaume Quentin Louis Arthur Baptiste Clément "
    "Olivier Laurent Sébastien Yannick Karim Mehdi Yasmine Fatou Amadou"
).split()
FRENCH_LAST = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre "
    "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Benali Diallo Nguyen"
).split()
ENGLISH_FIRST = (
    "Oliver Jack Harry George Noah Charlie Jacob Thomas James William Emily Olivia Amelia "
    "Isla Ava Jessica Sophie Grace Lily Chloe Hannah Ruth Daniel Samuel Priya Aisha Ben Kate "
    "Laura Michael Rachel Tom Anna Lukas Jonas Leonie Mia Felix Katharina Stefan"
).split()
ENGLISH_LAST = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Hughes Edwards "
    "Turner Hill Cooper Ward Morris Schmidt Schneider Fischer Weber Wagner Becker Hoffmann"
).split()

DEPARTMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Marketing": {
        "titles": ("Product Marketing Manager", "Chargée de marketing digital", "Brand Manager",
                   "Responsable marketing produit", "Growth Marketer", "Directrice marketing"),
        "skills": ("SEO", "Brand strategy", "Content marketing", "Google Analytics",
                   "Marketing automation", "Copywriting", "Études de marché", "Événementiel",
                   "Pricing", "Social media"),
    },
    "Sales": {
        "titles": ("Account Executive", "Ingénieur commercial", "Key Account Manager",
                   "Directeur des ventes", "Business Developer", "Sales Engineer"),
        "skills": ("Négociation", "Prospection", "CRM", "Salesforce", "Grands comptes",
                   "Appels d'offres", "Closing", "Partenariats", "Export"),
    },
    "HR": {
        "titles": ("Chargée de recrutement", "HR Business Partner", "Responsable formation",
                   "Talent Acquisition Specialist", "DRH", "Gestionnaire paie"),
        "skills": ("Recrutement", "Marque employeur", "Droit du travail", "Onboarding",
                   "Formation", "Paie", "Entretiens annuels", "Qualité de vie au travail"),
    },
    "Engineering": {
        "titles": ("Développeuse backend", "Software Engineer", "Staff Engineer",
                   "Ingénieur DevOps", "Tech Lead", "Frontend Developer", "Architecte logiciel",
                   "Site Reliability Engineer"),
        "skills": ("Python", "Django", "PostgreSQL", "Kubernetes", "TypeScript", "React",
                   "Rust", "Terraform", "Sécurité", "Architecture", "Machine learning",
                   "Observabilité", "Go"),
    },
    "Operations": {
        "titles": ("Responsable logistique", "Supply Chain Analyst", "Operations Manager",
                   "Chef de projet industriel", "Acheteuse", "Plant Manager"),
        "skills": ("Lean", "Supply chain", "Achats", "ERP", "Six Sigma", "Logistique",
                   "Planification", "Qualité"),
    },
    "Support": {
        "titles": ("Conseillère support client", "Customer Success Manager",
                   "Support Engineer", "Responsable service client", "Technical Account Manager"),
        "skills": ("Zendesk", "Relation client", "Diagnostic", "Documentation", "Onboarding client",
                   "Gestion des incidents", "Empathie", "SQL"),
    },
    "Finance": {
        "titles": ("Contrôleur de gestion", "Financial Analyst", "Comptable", "Trésorière",
                   "Directeur financier", "FP&A Manager"),
        "skills": ("Contrôle de gestion", "IFRS", "Excel", "Budget", "Trésorerie", "Audit",
                   "Consolidation", "Fiscalité"),
    },
    "Legal": {
        "titles": ("Juriste d'affaires", "Legal Counsel", "DPO", "Directrice juridique",
                   "Compliance Officer"),
        "skills": ("RGPD", "Contrats", "Propriété intellectuelle", "Conformité", "Droit social",
                   "Contentieux", "Droit de la concurrence"),
    },
    "R&D": {
        "titles": ("Ingénieure R&D", "Research Scientist", "Data Scientist",
                   "Responsable innovation", "Docteur en chimie", "Prototypist"),
        "skills": ("Prototypage", "Matériaux", "Brevets", "Statistiques", "Simulation",
                   "Impression 3D", "Chimie", "Deep learning", "Électronique"),
    },
    "Communication": {
        "titles": ("Community Manager", "Chargée de communication interne",
                   "Head of Communications", "Attachée de presse",
                   "Directrice de la communication", "Content Designer"),
        "skills": ("Relations presse", "Communication de crise", "Community management",
                   "Rédaction", "Vidéo", "Communication interne", "Storytelling", "RSE"),
    },
}

LOCATIONS = (
    ("Paris", "fr"), ("Lyon", "fr"), ("Lille", "fr"), ("Nantes", "fr"), ("Toulouse", "fr"),
    ("Bordeaux", "fr"), ("Grenoble", "fr"), ("London", "en"), ("Manchester", "en"),
    ("Berlin", "de"), ("Munich", "de"), ("Montréal", "fr"), ("Boston", "en"), ("Bruxelles", "fr"),
)

AFFILIATES = (
    ("acme_france", "Acme France", "L'actualité d'Acme en France."),
    ("acme_germany", "Acme Germany", "News from Acme in Germany, Austria and Switzerland."),
    ("acme_research", "Acme Research", "Recherche & innovation chez Acme / Acme R&D labs."),
)

COMPETITORS = (
    ("globex", "Globex Corporation", "Globex: logistics for a connected world."),
    ("initech", "Initech", "Initech — software that works (mostly)."),
    ("umbrella_corp", "Umbrella Corporation", "Our business is life itself."),
    ("hooli", "Hooli", "Making the world a better place."),
)

CUSTOMER_COMPANIES = (
    "Nordis Retail", "Banque Lumière", "Transports Vega", "Helios Energy", "Kestrel Airlines",
    "Maison Ferrand", "Orbital Foods", "Cité Santé", "Pixelwave Studio", "Atlas Assurances",
    "Brightwater Hotels", "Vélo Urbain", "Quantum Pharma", "Greenfield Farms",
)
CUSTOMER_TITLES = (
    "Directrice des achats", "IT Manager", "Head of Procurement", "Responsable innovation",
    "CTO", "Operations Director", "Consultant", "Chef de projet", "Partner Manager",
)

# The demo logins: (handle, e-mail, display name, department, job title, role).
DEMO_PASSWORD = "acme-demo-2026"  # noqa: S105 — printed by `voliere demo`
EMPLOYEE_LOGIN = ("alice_martin", "alice@acme.example", "Alice Martin", "Engineering",
                  "Développeuse backend", "member")
ADMIN_LOGIN = ("julien_admin", "admin@acme.example", "Julien Moreau", "Operations",
               "Administrateur de la plateforme", "admin")
MANAGER_LOGIN = ("chloe_dubois", "comms@acme.example", "Chloé Dubois", "Communication",
                 "Community Manager", "member")
DEMO_LOGINS = (EMPLOYEE_LOGIN, ADMIN_LOGIN, MANAGER_LOGIN)
