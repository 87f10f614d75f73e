#!/bin/bash
# Interleaved A/B load test of the team page: two source trees (e.g. `git archive` of two
# commits), the same database and settings, alternating 20 s wrk runs so that the load from
# other work on the machine falls on both alike. Figures in docs/performance.md.
#
#   bench/team_page_ab.sh /tmp/tree-before /tmp/tree-after [rounds]
#
# Needs the api_bench database loaded by bench/serve_bench.py, and wrk.
set -euo pipefail
A=$1 B=$2 ROUNDS=${3:-3} PORT=${PORT:-8104}
PY=${PY:-/work/venv/bin/python}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/api_bench}
export BREAKTHROUGH_DATA_DIR=/tmp/api-bench-data DJANGO_SETTINGS_MODULE=bench.serve_settings
export SECRET_KEY=bench-only-secret-key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
export API_RATE_LIMIT=off LOG_LEVEL=WARNING
URL=http://127.0.0.1:$PORT/c/jjcw/teams/brightwater/
COOKIE=$(cd "$B" && PYTHONPATH=. $PY -m breakthrough shell -c "
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
u = get_user_model().objects.get(username='bw-lead')
s = SessionStore(); s['_auth_user_id'] = str(u.pk)
s['_auth_user_backend'] = 'breakthrough.accounts.backends.PersonBackend'
s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)" | tail -1)
for round in $(seq 1 "$ROUNDS"); do
  for tree in "$A" "$B"; do
    cd "$tree"
    PYTHONPATH=. setsid $PY -m breakthrough serve --bind 127.0.0.1:$PORT --workers 2 \
      --allow-demo-logins >/dev/null 2>/tmp/team-page-ab-server.log &
    PID=$!
    for _ in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:$PORT/health/ && break; sleep 0.5; done
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: sessionid=$COOKIE" "$URL")
    wrk -t2 -c32 -d5s -H "Cookie: sessionid=$COOKIE" "$URL" >/dev/null  # warm up
    echo "round $round $tree (check $code): $(wrk -t2 -c32 -d20s --latency \
      -H "Cookie: sessionid=$COOKIE" "$URL" | grep -E 'Requests/sec|99%|50%|Non-2xx' \
      | tr -s ' ' | tr '\n' ' ') load $(cut -d' ' -f1 /proc/loadavg)"
    kill -- -$PID; wait $PID 2>/dev/null || true
    sleep 2
  done
done
