"""Load benchmark of the production server on PostgreSQL (figures in docs/performance.md).

`breakthrough serve` with 2 gunicorn workers on the demo data; wrk on loopback, 32 connections:
- 60 s each on a minimal Django view (the baseline), a team page (logged in) and an API list
  endpoint (token), reporting throughput, p50/p90/p99 latency and errors;
- a soak (default 10 minutes) alternating the team page and the API, sampling the resident
  memory (RSS) of the master and workers every 10 s.

    python bench/serve_bench.py [--duration 60] [--soak 600] [--port 8107]

Needs PostgreSQL on 127.0.0.1:5432 and wrk (apt-get install wrk). Writes
bench/results/serve-<date>.json and bench/results/soak-rss-<date>.csv. Everything stays on
loopback, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = os.environ.get("BENCH_DB", "api_bench")


def run(args: list[str], env: dict[str, str], **kw) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kw
    ).stdout


def prepare(env: dict[str, str]) -> tuple[str, str]:
    """A fresh database with the demo; returns a session cookie and an API token."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    run([PY, "-m", "breakthrough", "migrate", "-v", "0"], env)
    run([PY, "-m", "breakthrough", "demo", "--no-serve"], env)
    script = (
        "from datetime import timedelta\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django.utils import timezone\n"
        "from breakthrough.api.actions import do_create_api_token\n"
        "u = get_user_model().objects.get(username='bw-lead')\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(u.pk)\n"
        "s['_auth_user_backend'] = 'breakthrough.accounts.backends.PersonBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "_, t = do_create_api_token(person=u, name='bench', scope='read', "
        "expires_at=timezone.now() + timedelta(days=1))\n"
        "print(s.session_key, t)\n"
    )
    out = run([PY, "-m", "breakthrough", "shell", "-c", script], env).split()
    return f"sessionid={out[-2]}", out[-1]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_up(url: str, timeout: float = 240) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not come up at {url}")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(out: str) -> dict:
    res: dict = {"raw": out}
    res["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    res["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        res[f"p{pct}_ms"] = ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(map(int, m.groups())) if m else 0
    return res


def wrk(
    url: str, seconds: int, headers: dict[str, str], script: str | None = None, env=None
) -> dict:
    args = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True, env=env).stdout
    return parse_wrk(out)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(url: str, headers: dict[str, str], expect: str) -> None:
    """The target answers 200 itself (wrk counts a redirect to the log-in page as a success)."""
    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(req, timeout=30) as r:
            body = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url} answered {error.code}") from None
    if status != 200 or expect not in body:
        raise SystemExit(f"{url} answered {status} without {expect!r}")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--duration", type=int, default=60)
    p.add_argument("--soak", type=int, default=600)
    p.add_argument("--port", type=int, default=8107)
    a = p.parse_args()
    base = f"http://127.0.0.1:{a.port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "BREAKTHROUGH_DATA_DIR": "/tmp/api-bench-data",
        "DJANGO_SETTINGS_MODULE": "bench.serve_settings",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "API_RATE_LIMIT": "off",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("BREAKTHROUGH_TESTING", None)
    cookie, token = prepare(env)
    team_path = "/c/jjcw/teams/brightwater/"
    api_path = "/api/v1/collaboratives/jjcw/values?team=brightwater&limit=100"
    server = subprocess.Popen(
        # The demo's people log in only on a server that allows demo log-ins.
        [
            PY,
            "-m",
            "breakthrough",
            "serve",
            "--bind",
            f"127.0.0.1:{a.port}",
            "--workers",
            "2",
            "--allow-demo-logins",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open("/tmp/api-bench-server.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    results: dict = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "duration_s": a.duration,
    }
    try:
        wait_up(base + "/health/")
        targets = {
            "minimal Django view": (base + "/bench/minimal/", {}, "ok"),
            "team page": (base + team_path, {"Cookie": cookie}, "Brightwater County"),
            "API list (100 values)": (
                base + api_path,
                {"Authorization": f"Bearer {token}"},
                '"count"',
            ),
        }
        for name, (url, headers, expect) in targets.items():
            check(url, headers, expect)
            wrk(url, 5, headers)  # warm up
            results[name] = wrk(url, a.duration, headers)
            check(url, headers, expect)  # still answered itself, not by a redirect
            r = results[name]
            print(
                f"{name:24} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:.1f} ms  "
                f"p99 {r['p99_ms']:.1f} ms  "
                f"non-2xx {r['non_2xx']}  socket errors {r['socket_errors']}",
                flush=True,
            )
        if a.soak:
            stamp = datetime.now().strftime("%Y%m%d")
            out = ROOT / "bench" / "results" / f"soak-rss-{stamp}.csv"
            out.parent.mkdir(exist_ok=True)
            soak_env = {
                **os.environ,
                "TEAM_PATH": team_path,
                "API_PATH": api_path,
                "COOKIE": cookie,
                "TOKEN": token,
            }
            proc = subprocess.Popen(
                [
                    "wrk",
                    "-t2",
                    "-c32",
                    f"-d{a.soak}s",
                    "--latency",
                    "--timeout",
                    "10s",
                    "-s",
                    str(ROOT / "bench" / "soak.lua"),
                    base + "/",
                ],
                env=soak_env,
                stdout=subprocess.PIPE,
                text=True,
            )
            samples = []
            start = time.time()
            while proc.poll() is None:
                pids = [server.pid, *children(server.pid)]
                samples.append((round(time.time() - start), *(rss_kib(pid) for pid in pids)))
                time.sleep(10)
            results["soak"] = parse_wrk(proc.stdout.read())
            for url, headers, expect in list(targets.values())[1:]:
                check(url, headers, expect)
            with out.open("w") as f:
                f.write("seconds,master_kib,worker1_kib,worker2_kib\n")
                for s in samples:
                    f.write(",".join(map(str, s)) + "\n")
            workers = [[s[i] for s in samples if len(s) > i] for i in (2, 3)]
            results["soak"]["rss_kib"] = {
                f"worker{i + 1}": {
                    "first_minute": max(w[:6]),
                    "last_minute": max(w[-6:]),
                    "max": max(w),
                }
                for i, w in enumerate(workers)
                if w
            }
            r = results["soak"]
            print(
                f"soak {a.soak}s: {r['rps']:.1f} req/s p99 {r['p99_ms']:.1f} ms "
                f"non-2xx {r['non_2xx']} "
                f"errors {r['socket_errors']} rss {r['rss_kib']}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stamp = datetime.now().strftime("%Y%m%d")
    path = ROOT / "bench" / "results" / f"serve-{stamp}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=1))
    print(f"Results in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
