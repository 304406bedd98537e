#!/usr/bin/env python3
"""Benchmarks an awsaudit binary against the misconfigured moto scenario.

    ~/.cache/awsaudit/venv/bin/python scripts/bench.py BINARY [--runs 7] [--delay-ms 0] [--concurrency N]
        [--services s3,ec2,...]

Starts the moto launcher, builds the scenario once, then audits both regions RUNS times under
`/usr/bin/time -v` and prints the median wall time, the median and maximum peak RSS, and the API calls by
service. `--delay-ms` adds that much latency to every AWS request (moto answers in ~1-5 ms, AWS in ~20-100 ms),
which is what concurrency is for.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--concurrency", type=int, default=None)
    ap.add_argument("--services", default=None,
                    help="comma-separated services to collect (default: all the checks read); e.g. to compare a "
                         "run of the original seven services with the full catalogue on the same binary")
    args = ap.parse_args()

    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "mocks", "moto_server.py"), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ready, endpoint = server.stdout.readline().split()
        assert ready == "MOTO_READY", ready
        subprocess.run([sys.executable, os.path.join(ROOT, "mocks", "scenarios.py"), "--endpoint", endpoint,
                        "misconfigured"], check=True, stdout=subprocess.DEVNULL)
        if args.delay_ms:
            rules = json.dumps([{"service": None, "operation": None, "error": None, "delay_ms": args.delay_ms}])
            req = urllib.request.Request(f"{endpoint}/_awsaudit/faults", data=rules.encode(), method="POST")
            urllib.request.urlopen(req).read()
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_EC2_METADATA_DISABLED": "true"}
        walls, rss, cpus, calls = [], [], [], None
        for _ in range(args.runs):
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                cmd = ["/usr/bin/time", "-v", args.binary, "audit", "--endpoint-url", endpoint, "--region",
                       "us-east-1", "--regions", "us-east-1,eu-west-1", "--max-attempts", "3", "--format", "json",
                       "--output", out.name, "--fail-on", "none", "--quiet"]
                if args.concurrency:
                    cmd += ["--concurrency", str(args.concurrency)]
                if args.services:
                    cmd += ["--services", args.services]
                done = subprocess.run(cmd, env=env, capture_output=True, text=True)
                wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
                h, m, s = wall.groups()
                walls.append(int(h or 0) * 3600 + int(m) * 60 + float(s))
                rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)))
                cpus.append(sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", done.stderr).group(1))
                                for kind in ("User", "System")))
                report = json.load(open(out.name))
                calls = report["summary"]["api_calls_by_service"]
        print(f"runs={args.runs} delay_ms={args.delay_ms} concurrency={args.concurrency or 'default'} "
              f"services={args.services or 'all'}")
        print(f"wall: median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})")
        print(f"CPU (user+sys) of awsaudit: median {statistics.median(cpus):.3f} s")
        print(f"peak RSS: median {statistics.median(rss) / 1024:.1f} MiB (max {max(rss) / 1024:.1f} MiB)")
        print(f"API calls: {sum(calls.values())} total; " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))
        print(f"findings: {report['summary']['findings']} ({report['summary']['by_status']})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
