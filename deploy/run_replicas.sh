#!/usr/bin/env bash
# Start N Training Playground replicas on consecutive loopback ports, for a sticky-session
# proxy in front of them (deploy/nginx.conf). Ctrl-C (or SIGTERM) stops them all.
#
#   deploy/run_replicas.sh [N=2] [BASE_PORT=8501]
#
# Each replica is an independent process: its own runs, registry, compute slots and queue.
# On one machine the cores are shared, so each replica gets cores/N compute slots unless
# PLAYGROUND_MAX_CONCURRENT is set. Logs: $LOG_DIR (default /tmp/playground-replicas).
set -euo pipefail

N="${1:-2}"
BASE_PORT="${2:-8501}"
ADDRESS="${ADDRESS:-127.0.0.1}"
LOG_DIR="${LOG_DIR:-/tmp/playground-replicas}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python}"

if ! [[ "$N" =~ ^[1-9][0-9]*$ && "$BASE_PORT" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [N>=1] [BASE_PORT]" >&2
    exit 2
fi
CORES="$(nproc)"
export PLAYGROUND_MAX_CONCURRENT="${PLAYGROUND_MAX_CONCURRENT:-$(( CORES / N > 0 ? CORES / N : 1 ))}"
mkdir -p "$LOG_DIR"

PIDS=()
stop_all() {
    trap - INT TERM EXIT
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

for (( i = 0; i < N; i++ )); do
    port=$(( BASE_PORT + i ))
    "$PYTHON" -m streamlit run "$ROOT/app.py" \
        --server.headless true --server.address "$ADDRESS" --server.port "$port" \
        --server.fileWatcherType none --browser.gatherUsageStats false \
        >"$LOG_DIR/replica-$port.log" 2>&1 &
    PIDS+=("$!")
done

# Wait until every replica answers its health check (or one of them died).
for (( i = 0; i < N; i++ )); do
    port=$(( BASE_PORT + i ))
    for (( t = 0; t < 240; t++ )); do
        if [[ "$(curl -fs "http://$ADDRESS:$port/_stcore/health" 2>/dev/null)" == "ok" ]]; then
            echo "replica $((i + 1))/$N ready on http://$ADDRESS:$port (pid ${PIDS[$i]}," \
                 "$PLAYGROUND_MAX_CONCURRENT compute slots, log $LOG_DIR/replica-$port.log)"
            break
        fi
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            echo "replica on port $port exited; see $LOG_DIR/replica-$port.log" >&2
            exit 1
        fi
        sleep 0.5
    done
done
echo "all $N replicas up; Ctrl-C stops them"
wait -n "${PIDS[@]}"   # if one replica dies, stop the others too (the proxy would hide it)
echo "a replica exited; stopping the rest" >&2
