#!/usr/bin/env bash
# Creates (or refreshes) the Python venv with moto for awsaudit's end-to-end tests.
#
#   mocks/setup.sh                 # venv at ${AWSAUDIT_VENV:-$HOME/.cache/awsaudit/venv}
#
# The tests use "$AWSAUDIT_VENV/bin/python" (override with AWSAUDIT_MOTO_PYTHON). Idempotent: when the venv's
# stamp records the same requirements.txt hash (and the same base Python), nothing is installed.
# Base interpreter: $AWSAUDIT_BASE_PYTHON, else python3 (>= 3.9).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
req="$here/requirements.txt"
venv="${AWSAUDIT_VENV:-$HOME/.cache/awsaudit/venv}"
base_python="${AWSAUDIT_BASE_PYTHON:-python3}"
stamp="$venv/.awsaudit-requirements.sha256"

say() { echo "mocks/setup.sh: $*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

command -v "$base_python" >/dev/null 2>&1 || fail "no '$base_python' on PATH (set AWSAUDIT_BASE_PYTHON)"
"$base_python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
  || fail "$base_python is older than Python 3.9"
[[ -f "$req" ]] || fail "missing $req"

want="$(sha256sum "$req" | cut -d' ' -f1) $("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

mkdir -p "$(dirname "$venv")"
# One installer at a time (parallel CI jobs, two terminals).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$venv.lock"
  flock 9
fi

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
   && "$venv/bin/python" -c 'import moto, werkzeug' >/dev/null 2>&1; then
  say "up to date: $venv/bin/python"
  exit 0
fi

rm -f "$stamp"
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  say "updating $venv"
else
  say "creating $venv"
  "$base_python" -m venv --clear "$venv" || fail "cannot create the venv at $venv"
fi

"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet -r "$req" \
  || fail "pip install -r $req failed"

# The launcher must accept this moto (version matching the pin, every patch applicable).
"$venv/bin/python" "$here/moto_server.py" --self-check >&2 \
  || fail "the installed moto does not work with mocks/moto_server.py"

echo "$want" > "$stamp"
say "ready: $venv/bin/python"
