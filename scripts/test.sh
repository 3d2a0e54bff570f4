#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [extra pytest arguments]
#
# 1. installs what is missing: system packages (PostgreSQL server, Debian's Chromium) with
#    apt-get when run as root, and the Python dependencies into .venv (pip install -e ".[test]");
# 2. lints (ruff check .) and checks that no migration is missing;
# 3. runs the whole pytest suite twice: lane 1 on SQLite, lane 2 on a private PostgreSQL
#    server started on a free loopback port (stopped at exit);
# 4. prints one summary line per lane and exits non-zero if anything failed.
#
# Environment: VOLIERE_TEST_WORKERS (pytest-xdist workers, default "auto", 0 = no xdist),
# VOLIERE_SKIP_APT=1 (never call apt-get), VOLIERE_LANES ("sqlite postgres" by default).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
START=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }

# --- system packages --------------------------------------------------------------------
source scripts/postgres.sh

missing=()
[[ -n "$(postgres_bin)" ]] || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
    if [[ "${VOLIERE_SKIP_APT:-0}" == "1" ]]; then
        echo "missing system packages: ${missing[*]} (VOLIERE_SKIP_APT=1, not installing)" >&2
    elif [[ "$(id -u)" != "0" ]]; then
        echo "missing system packages: ${missing[*]}; run as root or apt-get install them" >&2
    else
        step "apt-get install ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
fi

# --- Python environment -----------------------------------------------------------------
if [[ ! -x .venv/bin/python ]]; then
    step "python3 -m venv .venv"
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=".venv/.voliere-deps"
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]] || ! python -c 'import voliere' 2>/dev/null; then
    step 'pip install -e ".[test]"'
    python -m pip install -q --disable-pip-version-check --upgrade pip
    python -m pip install -q --disable-pip-version-check -e ".[test]"
    echo "$wanted" >"$stamp"
fi

# --- lint and migrations ----------------------------------------------------------------
export DJANGO_SETTINGS_MODULE=voliere.config.settings.test
unset VOLIERE_DATABASE_URL
step "ruff check ."
ruff check .
step "makemigrations --check"
python -m django makemigrations --check --dry-run

# --- the two lanes ----------------------------------------------------------------------
workers=${VOLIERE_TEST_WORKERS:-auto}
xdist=()
[[ "$workers" == "0" ]] || xdist=(-n "$workers")
results="$ROOT/test-results"
mkdir -p "$results"
summaries=()
failed=0

# run_lane NAME: runs pytest, records a summary line from its JUnit report.
run_lane() {
    local name=$1
    shift
    local junit="$results/junit-$name.xml"
    rm -f "$junit"
    step "lane $name: pytest ${xdist[*]} $*"
    local code=0
    python -m pytest -q -p no:cacheprovider "${xdist[@]}" --junitxml="$junit" "$@" || code=$?
    local line
    line=$(python - "$junit" "$name" "$code" <<'PY'
import sys
import xml.etree.ElementTree as ET

path, name, code = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    root = ET.parse(path).getroot()
except (OSError, ET.ParseError):
    print(f"{name}: no report (pytest exit {code})")
    sys.exit()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(f"{name}: {total - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
)
    summaries+=("$line (pytest exit $code)")
    if [[ "$code" == "5" ]]; then
        echo "lane $name collected no tests: that is a failure" >&2
        failed=1
    elif [[ "$code" != "0" ]]; then
        failed=1
    fi
}

trap postgres_stop EXIT
for lane in ${VOLIERE_LANES:-sqlite postgres}; do
    case "$lane" in
        sqlite)
            VOLIERE_DATABASE_URL="" run_lane sqlite "$@"
            ;;
        postgres)
            step "starting a private PostgreSQL server"
            if postgres_start; then
                VOLIERE_DATABASE_URL="$VOLIERE_PG_URL" run_lane postgresql "$@"
                postgres_stop
            else
                summaries+=("postgresql: 0 passed, 1 failed (the server did not start)")
                failed=1
            fi
            ;;
        *)
            echo "unknown lane $lane (expected sqlite or postgres)" >&2
            exit 2
            ;;
    esac
done

step "summary ($(($(date +%s) - START))s)"
for line in "${summaries[@]}"; do
    echo "$line"
done
if ((failed)); then
    echo "FAILED"
    exit 1
fi
echo "OK"
