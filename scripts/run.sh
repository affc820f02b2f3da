#!/usr/bin/env bash
# Starts Flightdeck with gunicorn on 127.0.0.1:8000. With no instance/connections.toml it first
# starts the sandbox emulators (AAC, Server, Team Studio, vantage6, Alooma) and connects to them, so the pages show data at once;
# with no single sign-on configured it also starts the sandbox OpenID Connect provider and signs in through it.
set -euo pipefail
cd "$(dirname "$0")/.."
export FLIGHTDECK_CONFIG="${FLIGHTDECK_CONFIG:-demo}"
PY=.venv/bin/python
FLASK=".venv/bin/flask --app wsgi"
HOST="${FLIGHTDECK_HOST:-127.0.0.1}"
PORT="${FLIGHTDECK_PORT:-8000}"
SANDBOX_PORT="${FLIGHTDECK_SANDBOX_PORT:-8101}"
SERVER_SANDBOX_PORT="${FLIGHTDECK_SERVER_SANDBOX_PORT:-8102}"
TEAMSTUDIO_SANDBOX_PORT="${FLIGHTDECK_TEAMSTUDIO_SANDBOX_PORT:-8103}"
VANTAGE6_SANDBOX_PORT="${FLIGHTDECK_VANTAGE6_SANDBOX_PORT:-8104}"
ALOOMA_SANDBOX_PORT="${FLIGHTDECK_ALOOMA_SANDBOX_PORT:-8105}"
OIDC_SANDBOX_PORT="${FLIGHTDECK_OIDC_SANDBOX_PORT:-8106}"
mkdir -p instance

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ -z "${FLIGHTDECK_CONNECTIONS_FILE:-}" ] && [ ! -f instance/connections.toml ]; then
  echo "No instance/connections.toml: starting the sandbox emulators (AAC on ${SANDBOX_PORT}, Server on ${SERVER_SANDBOX_PORT}, Team Studio on ${TEAMSTUDIO_SANDBOX_PORT}, vantage6 on ${VANTAGE6_SANDBOX_PORT}, Alooma on ${ALOOMA_SANDBOX_PORT})."
  $PY -m sandbox serve aac --port "$SANDBOX_PORT" >instance/sandbox-aac.log 2>&1 &
  pids+=($!)
  $PY -m sandbox serve server --port "$SERVER_SANDBOX_PORT" >instance/sandbox-server.log 2>&1 &
  pids+=($!)
  $PY -m sandbox serve teamstudio --port "$TEAMSTUDIO_SANDBOX_PORT" >instance/sandbox-teamstudio.log 2>&1 &
  pids+=($!)
  $PY -m sandbox serve vantage6 --port "$VANTAGE6_SANDBOX_PORT" >instance/sandbox-vantage6.log 2>&1 &
  pids+=($!)
  $PY -m sandbox serve alooma --port "$ALOOMA_SANDBOX_PORT" >instance/sandbox-alooma.log 2>&1 &
  pids+=($!)
  SSO_TARGET=""
  if [ -z "${FLIGHTDECK_SSO_ISSUER:-}${FLIGHTDECK_SSO_METADATA_URL:-}" ]; then
    echo "No single sign-on configured: the sandbox identity provider on ${OIDC_SANDBOX_PORT} backs \"Sign in with Sandbox SSO\" (users in README, SSO)."
    $PY -m sandbox serve oidc --port "$OIDC_SANDBOX_PORT" >instance/sandbox-oidc.log 2>&1 &
    pids+=($!)
    SSO_TARGET="oidc=http://127.0.0.1:${OIDC_SANDBOX_PORT}"
  fi
  export FLIGHTDECK_CONNECTIONS_FILE=instance/sandbox-connections.toml
  $PY -m sandbox connect "aac=http://127.0.0.1:${SANDBOX_PORT}" "server=http://127.0.0.1:${SERVER_SANDBOX_PORT}" \
    "teamstudio=http://127.0.0.1:${TEAMSTUDIO_SANDBOX_PORT}" "vantage6=http://127.0.0.1:${VANTAGE6_SANDBOX_PORT}" \
    "alooma=http://127.0.0.1:${ALOOMA_SANDBOX_PORT}" ${SSO_TARGET:+"$SSO_TARGET"} \
    --write-config "$FLIGHTDECK_CONNECTIONS_FILE" --write-env instance/sandbox.env
  # shellcheck disable=SC1091
  set -a; . instance/sandbox.env; set +a
fi

$FLASK db upgrade >/dev/null
$FLASK users bootstrap

echo
echo "Flightdeck is starting on http://${HOST}:${PORT}  (Ctrl-C stops it)"
.venv/bin/gunicorn --bind "${HOST}:${PORT}" --workers "${FLIGHTDECK_WORKERS:-2}" --threads 4 \
  --access-logfile - wsgi:app &
pids+=($!)
wait "${pids[-1]}"
