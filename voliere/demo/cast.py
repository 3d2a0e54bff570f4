"""The demo's accounts and users: Acme, its affiliates, employees, competitors, customers.

Everything is inserted with `bulk_create` (a few statements for hundreds of rows); the one
demo password is hashed once and the hash reused for every employee.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from voliere.accounts.models import (
    Account,
    AccountKind,
    AccountSkill,
    Endorsement,
    OrganisationRole,
    Role,
    Skill,
    User,
)
from voliere.demo import people


@dataclass
class Cast:
    """Saved accounts by role. `activity` weighs how often each account posts."""

    acme: Account
    affiliates: list[Account]
    competitors: list[Account]
    employees: list[Account]  # Acme's, demo logins first
    competitor_staff: list[Account]
    customers: list[Account]
    logins: dict[str, Account]  # "employee", "admin", "manager"
    users: list[User] = field(default_factory=list)

    @property
    def everyone(self) -> list[Account]:
        return [self.acme, *self.affiliates, *self.competitors, *self.employees,
                *self.competitor_staff, *self.customers]

    @property
    def people(self) -> list[Account]:
        return [*self.employees, *self.competitor_staff, *self.customers]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "_" for c in folded.lower()).strip("_")


class _Handles:
    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def make(self, first: str, last: str) -> str:
        base = f"{_ascii(first)}_{_ascii(last)}"[:26]
        handle, n = base, 1
        while handle in self.taken:
            n += 1
            handle = f"{base}{n}"
        self.taken.add(handle)
        return handle


def _name(rng: random.Random, language: str) -> tuple[str, str]:
    if language == "fr":
        return rng.choice(people.FRENCH_FIRST), rng.choice(people.FRENCH_LAST)
    return rng.choice(people.ENGLISH_FIRST), rng.choice(people.ENGLISH_LAST)


def _languages(rng: random.Random, local: str) -> str:
    codes = [local] + [c for c in ("en", "fr", "de", "es") if c != local and rng.random() < 0.35]
    if "en" not in codes and rng.random() < 0.7:
        codes.append("en")
    return ", ".join(codes)


def _org(handle: str, name: str, bio: str, kind: str, created: datetime,
         parent: Account | None = None) -> Account:
    return Account(handle=handle, handle_lower=handle.lower(), kind=kind, display_name=name,
                   bio=bio, organisation=parent, created_at=created, languages="fr, en")


def _person(rng: random.Random, handles: _Handles, now: datetime, *, department: str,
            employer: Account | None, title: str = "", name: tuple[str, str] | None = None,
            handle: str = "") -> Account:
    city, local = rng.choice(people.LOCATIONS)
    first, last = name or _name(rng, "fr" if local == "fr" and rng.random() < 0.85 else "en")
    if department and not title:
        title = rng.choice(people.DEPARTMENTS[department]["titles"])
    if handle:
        handles.taken.add(handle)
    else:
        handle = handles.make(first, last)
    company = employer.display_name if employer else ""
    bio = f"{title} · {company}" if company else title
    return Account(
        handle=handle, handle_lower=handle.lower(), kind=AccountKind.PERSON,
        display_name=f"{first} {last}", bio=bio, job_title=title, department=department,
        location=city, languages=_languages(rng, local), organisation=employer,
        employment_verified=employer is not None,
        created_at=now - timedelta(days=rng.randint(100, 900)),
    )


def build_cast(rng: random.Random, now: datetime, *, scale: float) -> Cast:
    """Insert every demo account and the employees' users, skills and endorsements."""
    founded = now - timedelta(days=1500)
    acme = _org("acme", "Acme", "Acme — le compte officiel. The official account of Acme.",
                AccountKind.ORGANISATION, founded)
    Account.objects.bulk_create([acme])  # first organisation: the instance's own
    affiliates = [_org(h, n, b, AccountKind.AFFILIATED, founded, acme)
                  for h, n, b in people.AFFILIATES]
    competitors = [_org(h, n, b, AccountKind.ORGANISATION, founded)
                   for h, n, b in people.COMPETITORS]
    Account.objects.bulk_create([*affiliates, *competitors])

    handles = _Handles({a.handle_lower for a in [acme, *affiliates, *competitors]})
    departments = list(people.DEPARTMENTS)
    logins = [
        _person(rng, handles, now, department=dept, employer=acme, title=title,
                name=tuple(display.split(" ", 1)), handle=handle)
        for handle, _email, display, dept, title, _role in people.DEMO_LOGINS
    ]
    employees = logins + [
        _person(rng, handles, now, department=departments[i % len(departments)], employer=acme)
        for i in range(max(10, round(300 * scale)))
    ]
    staff = [
        _person(rng, handles, now, department=rng.choice(departments), employer=competitor)
        for competitor in competitors for _ in range(max(1, round(4 * scale)))
    ]
    customers = []
    for _ in range(max(4, round(60 * scale))):
        company = rng.choice(people.CUSTOMER_COMPANIES)
        customer = _person(rng, handles, now, department="", employer=None,
                           title=rng.choice(people.CUSTOMER_TITLES))
        customer.bio = f"{customer.job_title} · {company}"
        customers.append(customer)
    Account.objects.bulk_create([*employees, *staff, *customers])

    cast = Cast(acme=acme, affiliates=affiliates, competitors=competitors, employees=employees,
                competitor_staff=staff, customers=customers,
                logins=dict(zip(("employee", "admin", "manager"), logins, strict=True)))
    cast.users = _create_users(cast)
    OrganisationRole.objects.bulk_create(
        [OrganisationRole(user=cast.users[2], organisation=org) for org in [acme, *affiliates]]
    )
    _create_skills(rng, employees, now)
    return cast


def _create_users(cast: Cast) -> list[User]:
    password = make_password(people.DEMO_PASSWORD)
    emails: set[str] = set()
    users = []
    login_emails = {handle: (email, role) for handle, email, *_rest, role in people.DEMO_LOGINS}
    for account in cast.employees:
        email, role = login_emails.get(account.handle, ("", Role.MEMBER))
        if not email:
            email = f"{account.handle.replace('_', '.')}@acme.example"
        emails.add(email.lower())
        users.append(User(
            email=email, account=account, role=role, is_superuser=role == Role.ADMIN,
            password=password, language="fr" if account.language_list[0] == "fr" else "en",
            date_joined=account.created_at,
        ))
    return User.objects.bulk_create(users)


def _create_skills(rng: random.Random, employees: list[Account], now: datetime) -> None:
    names = sorted({s for d in people.DEPARTMENTS.values() for s in d["skills"]})
    skills = {s.name: s for s in Skill.objects.bulk_create(
        [Skill(name=n, key=n.casefold()) for n in names]
    )}
    by_department: dict[str, list[Account]] = {}
    for account in employees:
        by_department.setdefault(account.department, []).append(account)
    holdings: list[AccountSkill] = []
    endorsers: list[list[Account]] = []
    for account in employees:
        pool = people.DEPARTMENTS[account.department]["skills"]
        for name in rng.sample(pool, k=min(len(pool), rng.randint(3, 8))):
            colleagues = [c for c in by_department[account.department] if c is not account]
            wanted = rng.choice((0, 0, 1, 1, 2, 3, 5))
            chosen = rng.sample(colleagues, k=min(len(colleagues), wanted))
            holdings.append(AccountSkill(account=account, skill=skills[name],
                                         endorsements_count=len(chosen), created_at=now))
            endorsers.append(chosen)
    AccountSkill.objects.bulk_create(holdings)
    Endorsement.objects.bulk_create([
        Endorsement(account_skill=holding, endorser=endorser, created_at=now)
        for holding, chosen in zip(holdings, endorsers, strict=True) for endorser in chosen
    ])
