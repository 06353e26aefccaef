#!/usr/bin/env bash
# Starts LiveSessions as two nodes on one Debian machine, from Debian's packages (no containers): PostgreSQL in a
# temporary folder on a Unix socket, Redis on 127.0.0.1:6390, node A on :5081, node B on :5082, and nginx on :5080 in
# front of them with sticky sessions and WebSockets (docs/scale-out.md). Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
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

redis-server --bind 127.0.0.1 --port 6390 --save '' --appendonly no --daemonize no >"$root/redis.log" 2>&1 &
pids+=($!)

dotnet build LiveSessions.Web -c Release -v quiet -nologo >/dev/null
export Database__Provider=PostgreSql
export ConnectionStrings__LiveSessions="Host=$root;Port=5432;Database=livesessions;Username=livesessions"
export ConnectionStrings__Redis="127.0.0.1:6390,abortConnect=false"
export LiveSessions__PublicBaseUrl="http://127.0.0.1:5080"
export ASPNETCORE_ENVIRONMENT=Development
for node in a:5081 b:5082; do
  name="${node%%:*}"; port="${node##*:}"
  mkdir -p "$root/node-$name"
  LiveSessions__DataDirectory="$root/node-$name" LiveSessions__NodeName="node-$name" \
    dotnet LiveSessions.Web/bin/Release/net10.0/LiveSessions.Web.dll --urls "http://127.0.0.1:$port" --Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning &
  pids+=($!)
  # Node A migrates and seeds the database before node B starts, as a rolling start would.
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 1; done
  echo "node-$name ready at http://127.0.0.1:$port"
done

mkdir -p "$root/nginx"
cat >"$root/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $root/nginx/nginx.pid;
error_log $root/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $root/nginx; proxy_temp_path $root/nginx; fastcgi_temp_path $root/nginx;
    uwsgi_temp_path $root/nginx; scgi_temp_path $root/nginx;
    client_max_body_size 50m;
    upstream livesessions { ip_hash; server 127.0.0.1:5081; server 127.0.0.1:5082; }
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
    server {
        listen 127.0.0.1:5080;
        location / {
            proxy_pass http://livesessions;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 1h;
        }
    }
}
CONF
nginx -c "$root/nginx/nginx.conf" -p "$root/nginx" -g 'daemon off;' &
pids+=($!)
until curl -sf "http://127.0.0.1:5080/health/ready" >/dev/null 2>&1; do sleep 1; done
echo "nginx ready at http://127.0.0.1:5080 (sticky: each client address stays on one node)"
echo "PostgreSQL: $ConnectionStrings__LiveSessions · Redis: 127.0.0.1:6390"
echo "Press Ctrl+C to stop nginx, both nodes, Redis and PostgreSQL."
wait
