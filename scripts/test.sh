#!/usr/bin/env bash
# The full test suite: installs the pinned moto into a venv (mocks/setup.sh), then runs every test. The
# end-to-end tests start their own moto servers from that venv and fail (never skip) if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export AWSAUDIT_VENV="${AWSAUDIT_VENV:-$HOME/.cache/awsaudit/venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/awsaudit/target}"
bash mocks/setup.sh
export AWSAUDIT_MOTO_PYTHON="$AWSAUDIT_VENV/bin/python"
"$AWSAUDIT_MOTO_PYTHON" -c 'import moto' # fail here, loudly, if the venv is broken

# The HTML report is tested in Debian's headless Chromium, the JUnit report with xmllint (libxml2-utils).
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "scripts/test.sh: the report tests need Debian's$missing: sudo apt-get install$missing" >&2
    exit 1
  fi
fi

# The offline path (no AWS SDK) must build and pass on its own.
cargo test --no-default-features --lib
# Everything, with live collection: unit tests and the end-to-end tests against moto.
cargo test --all-targets
