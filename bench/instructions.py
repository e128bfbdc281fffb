#!/usr/bin/env python
"""Instructions per request of the pages of bench/pages.py, counted by valgrind.

Run by hand, never by the test suite:

    .venv/bin/python bench/profile_pages.py --prepare       # the data, once
    .venv/bin/python bench/instructions.py --only "scoring page" "team submission"
    .venv/bin/python bench/instructions.py --samples 5      # every page: about 15 minutes

A time is the machine's: the same page measured 22-29 ms of CPU in one hour on a shared
2-core machine. An instruction count is the code's: callgrind counts what the Python
process executes (the database server is another process), and the same request counts the
same within about 1 % run after run, whatever else the machine does. Compare two commits
with it, not two machines.

Same data and setup as profile_pages.py (its database and state file). The script starts
itself again under `valgrind --tool=callgrind`, warms each page up with seven requests
(templates, URL patterns, translations, compiled and prepared queries), then counts
`--samples` requests one by one: collection is on only inside itertools.starmap, which
nothing in Django or the app calls, and a count is dumped after each request. The median
is printed, with each sample. Slow: valgrind runs Python some 50 times slower.
"""

import collections
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import profile_pages  # noqa: E402

INSIDE = "SOSKE_UNDER_CALLGRIND"
WARMUP = 7


def count(args):
    """Under valgrind: the requests, WARMUP then args.samples per page."""
    pages, cookies = profile_pages.load(args)
    from django.test import Client

    for _name, path, who in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies.load(cookies[who])
        for _ in range(WARMUP):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
        # Counted: each call of client.get inside starmap_next, one dump after each.
        collections.deque(itertools.starmap(client.get, [(path,)] * args.samples), maxlen=0)
    print(json.dumps([name for name, _path, _who in pages]))


def totals(folder: Path) -> list[int]:
    """The instruction count of each dump, in the order they were written."""
    numbered = []
    for dump in folder.glob("callgrind.out.*"):
        suffix = dump.name.rsplit(".", 1)[1]
        if not suffix.isdigit():
            continue
        for line in dump.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                numbered.append((int(suffix), int(line.split()[1])))
                break
    return [total for _number, total in sorted(numbered)]


def main():
    argv = sys.argv[1:]
    args = profile_pages.parse_args(argv, description=__doc__.split("\n", 1)[0])
    if not any(a.startswith("--samples") for a in argv):
        args.samples = 3  # profile_pages' 15 would take an hour under valgrind
    if os.environ.get(INSIDE):
        return count(args)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    if args.prepare:  # outside valgrind: loading the data under it would take an hour
        profile_pages.load(args)
        argv = [a for a in argv if a != "--prepare"]
    with tempfile.TemporaryDirectory(prefix="soske-callgrind-") as work:
        folder = Path(work)
        command = [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=starmap_next",
            "--dump-after=starmap_next",
            f"--callgrind-out-file={folder / 'callgrind.out'}",
            sys.executable,
            __file__,
            *argv,
        ]
        env = {**os.environ, INSIDE: "1", "PYTHONHASHSEED": "0"}
        run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            sys.stderr.write(run.stderr[-4000:])
            raise SystemExit(run.returncode)
        names = json.loads(run.stdout.strip().splitlines()[-1])
        # starmap_next is called once more to say it is exhausted: a dump of a few
        # instructions after each page's requests, left out.
        counts = [total for total in totals(folder) if total > 100_000]
    if len(counts) != len(names) * args.samples:
        raise SystemExit(f"{len(counts)} counts for {len(names)} pages × {args.samples}")
    results = {}
    for index, name in enumerate(names):
        samples = counts[index * args.samples : (index + 1) * args.samples]
        results[name] = statistics.median(samples)
        shown = ", ".join(f"{s / 1e6:.2f}" for s in samples)
        print(f"{name:<28} {results[name] / 1e6:8.2f} M instructions  ({shown})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
