#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine with the .NET SDK.
# Installs what the tests need (Debian's Chromium for the browser tests, PostgreSQL's and Redis's servers for the
# scale-out tests, Dovecot's IMAP server for the calendar replies), then prints the 10 slowest tests and
# "N passed, N failed".
# LIVESESSIONS_SOAK_SECONDS=300 makes the interleaving soak run five minutes instead of a few seconds.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The PostgreSQL tests start a private server from Debian's binaries (a temporary folder, a Unix socket only), so a
# system PostgreSQL, running or not, is never touched.
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
# Likewise Redis: each test starts its own redis-server on a free loopback port.
[ -x /usr/bin/redis-server ] || need+=(redis-server)
# And Dovecot: the calendar-reply tests start a private IMAP server on loopback with a temporary mail folder.
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian's packages..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || { echo "Could not install ${need[*]}"; exit 1; }
fi

export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
log="$(mktemp)"
results="$(mktemp -d)"
start=$(date +%s)
dotnet test LiveSessions.slnx --logger "trx;LogFileName=tests.trx" --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
end=$(date +%s)

# Where the time goes: each result's duration (hh:mm:ss.fffffff sorts as text) and name, from the TRX report.
echo
echo "Slowest 10 tests:"
find "$results" -name '*.trx' -print0 | xargs -0 -r cat | tr '\n' ' ' | grep -o '<UnitTestResult [^>]*>' \
  | sed -nE 's/.*testName="([^"]*)".*duration="([^"]*)".*/\2 \1/p' | sort -r | head -10 \
  | sed -E 's/^([0-9:]{8}\.[0-9])[0-9]* /  \1  /; s/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g'

# Sum the per-project summaries ("Failed: 0, Passed: 10, Skipped: 0, Total: 10") over every test project.
read -r passed failed skipped < <(grep -E "Failed:[[:space:]]+[0-9]+, Passed:" "$log" | sed -E 's/.*Failed:[[:space:]]+([0-9]+), Passed:[[:space:]]+([0-9]+), Skipped:[[:space:]]+([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -rf "$log" "$results"
echo "Test time: $((end - start)) s"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
if [ "$passed" -eq 0 ]; then exit 1; fi
exit "$status"
