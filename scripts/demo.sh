#!/usr/bin/env bash
# `make demo`: serve the bundled UrduPoint-like site on loopback, crawl it into data/demo.db,
# print the crawl's and the archive's summary, and export the archive as CSV and JSON.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8765}
mkdir -p data

"$BIN/newscrawl" serve-demo --site urdupoint --port "$PORT" > data/demo-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q "Serving demo site" data/demo-server.log 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat data/demo-server.log; exit 1; }
  sleep 0.1
done

echo "Crawling the demo site at http://127.0.0.1:$PORT (log: data/demo.log)"
"$BIN/scrapy" crawl urdupoint \
  -a base_url="http://127.0.0.1:$PORT" -a sections=world,pakistan,business \
  -s NEWSCRAWL_DB=data/demo.db -s LOG_FILE=data/demo.log -s LOG_FILE_APPEND=False

# `scrapy crawl` exits 0 even when the spider crashed: the summary and the crawls table tell.
grep -E "newscrawl.summary" data/demo.log | sed -E 's/^.*\[newscrawl.summary\] INFO: //'
echo
"$BIN/newscrawl" stats --db data/demo.db
status=$("$BIN/python" -c "import json,sys; print(json.load(sys.stdin)['last_crawl']['status'])" \
  < <("$BIN/newscrawl" stats --db data/demo.db --json))
[ "$status" = finished ] || { echo "demo crawl $status: see data/demo.log" >&2; exit 1; }
# Feeds of the whole archive (a crawl's own -O feed holds only what that run found).
"$BIN/newscrawl" export --db data/demo.db --format csv --output data/demo.csv
"$BIN/newscrawl" export --db data/demo.db --format json --output data/demo.json

echo
echo "More bundled sites: 'newscrawl serve-demo --site gulfwire|ledger' (no profile: scrapy crawl news -a url=...)."
echo "The WAM copy is rendered by script: 'make browser' installs Chromium, then"
echo "  $BIN/newscrawl serve-demo --site wam --port 8766 &"
echo "  $BIN/scrapy crawl wam -a base_url=http://127.0.0.1:8766 -s NEWSCRAWL_DB=data/wam.db"

echo "Browse the archive: $BIN/newscrawl browse --db data/demo.db   (or: make browse)"
