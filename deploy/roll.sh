#!/usr/bin/env bash
# Rolls an upgrade over the instances, one at a time, so the deployment never stops serving:
#   deploy/roll.sh 3001 3002
# Run it from the new release's folder (/opt/accord) once `npm ci` and `npm run build` are done.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 PORT..." >&2; exit 2; }
for port in "$@"; do
  echo "Restarting the instance on port $port…"
  systemctl restart "accord@$port"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      echo "  healthy."
      continue 2
    fi
    sleep 1
  done
  echo "The instance on port $port is not healthy after 60 s; stopping the roll here." >&2
  exit 1
done
echo "Every instance runs the new release."
