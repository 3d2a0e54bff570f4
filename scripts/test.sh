#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [extra pytest arguments]
#
# 1. installs what is missing: system packages (PostgreSQL server, Debian's Chromium) with
#    apt-get when run as root, and the Python dependencies into .venv (pip install -e
#    ".[test,train,transformers,entities]": the optional NLP backends are tested too; torch
#    is pinned to the CPU build that lies on this machine's disk);
# 2. lints (ruff check .) and checks that no migration is missing;
# 3. runs the whole pytest suite twice: lane 1 on SQLite, lane 2 on a private PostgreSQL
#    server started on a free loopback port (stopped at exit);
# 4. prints one summary line per step and lane, and exits non-zero if anything failed
#    (every step runs even after an earlier one failed, so one run shows every problem).
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
[[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-liberation)
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
extras="test,train,transformers,entities"
wanted=$( (cat pyproject.toml; echo "$extras") | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]] || ! python -c 'import voliere' 2>/dev/null; then
    step "pip install -e \".[$extras]\""
    python -m pip install -q --disable-pip-version-check --upgrade pip
    python -m pip install -q --disable-pip-version-check -e ".[$extras]"
    echo "$wanted" >"$stamp"
fi

# --- lint and migrations (a failure is reported at the end; the lanes still run) ---------
export DJANGO_SETTINGS_MODULE=voliere.config.settings.test
unset VOLIERE_DATABASE_URL
summaries=()
failed=0
# Totals over the lanes; a failed check (lint, migrations, a lane that ran nothing) counts
# as one failure so the closing line never reads "0 failed" on a failing run.
total_passed=0
total_failed=0
total_skipped=0
check_failed() {
    summaries+=("$1")
    failed=1
    total_failed=$((total_failed + 1))
}
step "ruff check ."
if ruff check .; then
    summaries+=("ruff: clean")
else
    check_failed "ruff: FAILED (see above)"
fi
step "makemigrations --check"
if python -m django makemigrations --check --dry-run; then
    summaries+=("migrations: none missing")
else
    check_failed "migrations: FAILED, models changed without a migration (see above)"
fi

# --- the two lanes ----------------------------------------------------------------------
workers=${VOLIERE_TEST_WORKERS:-auto}
xdist=()
[[ "$workers" == "0" ]] || xdist=(-n "$workers")
results="$ROOT/test-results"
mkdir -p "$results"

# run_lane NAME: runs pytest, records a summary line from its JUnit report.
run_lane() {
    local name=$1
    shift
    local junit="$results/junit-$name.xml"
    rm -f "$junit"
    step "lane $name: pytest ${xdist[*]} $*"
    local code=0
    python -m pytest -q -p no:cacheprovider --tb=short --durations=10 "${xdist[@]}" --junitxml="$junit" "$@" \
        || code=$?
    local counts passed=0 failures=0 skipped=0
    counts=$(python - "$junit" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(total - failed - skipped, failed, skipped)
PY
)
    [[ -z "$counts" ]] || read -r passed failures skipped <<<"$counts"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failures))
    total_skipped=$((total_skipped + skipped))
    if [[ "$code" == "5" || ( "$code" == "0" && "$passed" == "0" ) ]]; then
        check_failed "$name: FAILED, the lane ran no test (pytest exit $code)"
    elif [[ -z "$counts" ]]; then
        check_failed "$name: FAILED, pytest wrote no report (exit $code)"
    else
        summaries+=("$name lane: $passed passed, $failures failed, $skipped skipped (pytest exit $code)")
        if [[ "$code" != "0" ]]; then
            failed=1
            # An interrupted or internally failing run can exit non-zero with no failed test.
            ((failures)) || total_failed=$((total_failed + 1))
        fi
    fi
}

trap postgres_stop EXIT
trap "exit 130" INT TERM  # so that the EXIT trap stops the server on Ctrl-C or a CI timeout
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
                check_failed "postgresql: FAILED, the PostgreSQL server did not start"
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
    echo "RESULT: FAILED"
else
    echo "RESULT: OK"
fi
echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit "$failed"
