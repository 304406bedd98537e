#!/usr/bin/env bash
# Regenerates mocks/demo.json: the snapshot of the `misconfigured` scenario, audited in two regions.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWSAUDIT_VENV="${AWSAUDIT_VENV:-$HOME/.cache/awsaudit/venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/awsaudit/target}"
bash mocks/setup.sh
python="$AWSAUDIT_VENV/bin/python"
# --all-targets: the feature set the tests build, so the compiled AWS SDK in the target folder is reused.
cargo build --all-targets --quiet

fifo=$(mktemp -u); mkfifo "$fifo"
"$python" mocks/moto_server.py --port 0 > "$fifo" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$fifo"' EXIT
read -r ready endpoint < "$fifo"
[ "$ready" = MOTO_READY ] || { echo "moto did not start" >&2; exit 1; }

"$python" mocks/scenarios.py --endpoint "$endpoint" misconfigured
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
  "$CARGO_TARGET_DIR/debug/awsaudit" audit --endpoint-url "$endpoint" --region us-east-1 \
  --regions us-east-1,eu-west-1 --max-attempts 3 --save-snapshot mocks/demo.json --quiet --output /dev/null \
  --fail-on none
echo "wrote mocks/demo.json"
