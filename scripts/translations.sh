#!/usr/bin/env bash
# Refresh the French catalogue from the code and templates, then compile it.
# Needs GNU gettext (Debian package `gettext`). Both the .po and the compiled .mo are
# committed, so installing Volière needs no gettext.
set -euo pipefail
cd "$(dirname "$0")/../voliere"
export DJANGO_SETTINGS_MODULE=voliere.config.settings.test
VOLIERE_DATA="$(mktemp -d)"
export VOLIERE_DATA
python -m django makemessages --locale fr --no-obsolete --add-location file \
  --ignore "*/tests/*" --ignore "static/vendor/*"
python -m django compilemessages --locale fr
