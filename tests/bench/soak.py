#!/usr/bin/python3
"""The soak half of bench-server.sh: one URL at a steady rate for a while,
the server's memory sampled as it goes.

    soak.py URL PID SECONDS RATE OUT.jsonl

Requests are sent on a fixed schedule (RATE a second, spread over a few
keep-alive connections, each request due at its own time: a slow answer
delays that connection, not the schedule's clock, and its lateness is counted
in its latency). Every 10 s one JSON line: requests, errors, p50/p99 latency
of the interval, and the server's RSS (VmRSS of PID). At the end a summary
line: totals, p50/p99 over the run, RSS after the first minute and at the
end, and whether memory stayed flat (the end within 10 % + 8 MB of the
first-minute figure). Loopback only; bounded by SECONDS.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

CONNECTIONS = 8


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    url, pid, seconds, rate, out_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("soak.py: loopback only")
    path = parts.path + ("?" + parts.query if parts.query else "")
    start = time.monotonic()
    end = start + seconds
    lock = threading.Lock()
    window = {"lat": [], "errors": 0}
    totals = {"lat": [], "errors": 0, "requests": 0}

    def worker(k):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        n = 0
        while True:
            due = start + (n * CONNECTIONS + k) / rate
            if due >= end:
                break
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            ok = False
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            latency = (time.monotonic() - due) * 1000
            with lock:
                window["lat"].append(latency)
                totals["lat"].append(latency)
                totals["requests"] += 1
                if not ok:
                    window["errors"] += 1
                    totals["errors"] += 1
            n += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(CONNECTIONS)]
    for t in threads:
        t.start()
    samples = []
    with open(out_path, "w") as out:
        next_sample = start + 10
        while True:
            alive = any(t.is_alive() for t in threads)
            now = time.monotonic()
            if now >= next_sample or not alive:
                with lock:
                    lat, errors = window["lat"], window["errors"]
                    window["lat"], window["errors"] = [], 0
                line = {"t_s": round(now - start, 1), "requests": len(lat), "errors": errors,
                        "p50_ms": percentile(lat, 0.5), "p99_ms": percentile(lat, 0.99), "rss_kb": rss_kb(pid)}
                samples.append(line)
                out.write(json.dumps(line) + "\n")
                out.flush()
                next_sample += 10
            if not alive:
                break
            time.sleep(min(1, max(0, next_sample - now)))
    first = next((s["rss_kb"] for s in samples if s["t_s"] >= 60), samples[0]["rss_kb"] if samples else None)
    last = samples[-1]["rss_kb"] if samples else None
    elapsed = time.monotonic() - start
    summary = {"server": "saban-server", "mode": "soak", "seconds": round(elapsed, 1), "target_rate": rate,
               "requests": totals["requests"], "achieved_rate": round(totals["requests"] / elapsed, 1),
               "errors": totals["errors"], "p50_ms": percentile(totals["lat"], 0.5),
               "p99_ms": percentile(totals["lat"], 0.99), "rss_kb_after_1_min": first, "rss_kb_end": last,
               "rss_kb_max": max((s["rss_kb"] for s in samples), default=None),
               "memory_flat": first is not None and last is not None and last <= first * 1.10 + 8192}
    print(json.dumps(summary))
    return 0 if summary["memory_flat"] and totals["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
