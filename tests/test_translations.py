"""The French catalogue is complete and the committed .mo matches the .po."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import voliere

LOCALE = Path(voliere.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def _unquote(chunks: list[str]) -> str:
    return "".join(
        bytes(c, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") for c in chunks
    )


def parse_po(path: Path) -> list[tuple[str, str, bool, bool]]:
    """(msgid, msgstr, fuzzy, plain) for each entry; `plain` is False for plural or
    context entries (their msgstr is msgstr[0])."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M) is not None
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) "(.*)"$', line)
            if match:
                current = match.group(1).replace("[0]", "")
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line[1:-1])
        if "msgid" in fields and _unquote(fields["msgid"]):
            plain = "msgid_plural" not in fields and "msgctxt" not in fields
            msgstr = _unquote(fields.get("msgstr", [""]))
            entries.append((_unquote(fields["msgid"]), msgstr, fuzzy, plain))
    return entries


def test_every_french_string_is_translated():
    entries = parse_po(LOCALE / "django.po")
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy, _plain in entries if not msgstr or fuzzy]
    assert missing == []


def test_compiled_catalogue_matches_the_source():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    for msgid, msgstr, _fuzzy, plain in parse_po(LOCALE / "django.po"):
        if not plain:
            continue
        assert catalogue.gettext(msgid) == msgstr, msgid
