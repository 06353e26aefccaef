#!/usr/bin/env bash
# Starts LiveSessions as two nodes on one Debian machine, sharing a private PostgreSQL, from Debian's packages (no
# containers): PostgreSQL in a temporary folder on a Unix socket, node A on :5081 and node B on :5082. Put a reverse
# proxy with sticky sessions in front of them (docs/scale-out.md). Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
root="$(mktemp -d /tmp/livesessions-scaleout-XXXXXX)"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$root"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$bin/initdb" -D "$root/pg" -A trust -U livesessions -E UTF8 >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$root/pg" -l "$root/pg.log" -w -o "-c listen_addresses='' -k $root" start >/dev/null
"${as_pg[@]}" "$bin/psql" -h "$root" -U livesessions -d postgres -qc "CREATE DATABASE livesessions" >/dev/null

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${as_pg[@]}" "$bin/pg_ctl" -D "$root/pg" -m fast -w stop >/dev/null || true
  rm -rf "$root"
}
trap stop EXIT INT TERM

dotnet build LiveSessions.Web -c Release -v quiet -nologo >/dev/null
export Database__Provider=PostgreSql
export ConnectionStrings__LiveSessions="Host=$root;Port=5432;Database=livesessions;Username=livesessions"
export ASPNETCORE_ENVIRONMENT=Development
export Logging__LogLevel__Microsoft.EntityFrameworkCore=Warning
for node in a:5081 b:5082; do
  name="${node%%:*}"; port="${node##*:}"
  mkdir -p "$root/node-$name"
  LiveSessions__DataDirectory="$root/node-$name" LiveSessions__NodeName="node-$name" \
    dotnet LiveSessions.Web/bin/Release/net10.0/LiveSessions.Web.dll --urls "http://127.0.0.1:$port" &
  pids+=($!)
  # Node A migrates and seeds the database before node B starts, as a rolling start would.
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 1; done
  echo "node-$name ready at http://127.0.0.1:$port"
done
echo "PostgreSQL: $ConnectionStrings__LiveSessions"
echo "Press Ctrl+C to stop both nodes and PostgreSQL."
wait
