#!/usr/bin/env python3
"""chaff.Model.tag in Python against the command line, on the same feed and thread count.

Builds a feed of 100,000 paragraphs from data/train.csv (rows grouped by doc_id into
articles, about 19 paragraphs each, repeated until the feed is full), then for N = 1 and
2 threads, best of 3 runs each:

* the CLI, whole process: ``target/release/chaff tag feed.jsonl --threads N -o /dev/null
  --quiet`` (built with ``cargo build --release`` when missing);
* Python, in one process started with RAYON_NUM_THREADS=N (set before chaff is imported,
  and checked by counting the threads rayon starts): ``Model().tag(articles)`` with the
  articles as lists of paragraphs, and again as texts (paragraphs joined by blank
  lines). Each run tags with a fresh Model (its repetition counts start empty, as the
  CLI's do); only the ``tag`` call is timed.

Prints a Markdown table: paragraphs per second and Python's rate as a share of the CLI's.

``--memory`` instead measures the peak resident memory (``/usr/bin/time -v``) of a Python
process tagging a larger feed (``--memory-paragraphs``, default 1,000,000), read from
JSONL through a generator in batches of ``--batch`` articles (default 1,000 and 10,000),
the way the Model docstring recommends, next to one that reads the whole feed and tags it
in one call. ``--memory-feed FILE.jsonl.gz`` does the same on a feed you give (gzip or
plain JSONL, decompressed as it is read), in batches only: the issue's 2 GB compressed
feed is far larger than memory would hold in one call.

Run it with the venv's Python, chaff installed for release:
``MATURIN_PEP517_ARGS="--profile release" pip install .`` or ``maturin develop --release
-m python/Cargo.toml``.
"""
import argparse, csv, json, os, resource, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHAFF = os.path.join(ROOT, "target", "release", "chaff")
OUT = os.path.join(ROOT, "target", "python-speed")
RUNS = 3


def documents():
    """data/train.csv's articles, each a list of paragraph texts in page order."""
    docs = {}
    with open(os.path.join(ROOT, "data", "train.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            docs.setdefault(r["doc_id"], []).append((int(r["position"]), r["text"]))
    return [[t for _, t in sorted(d)] for d in docs.values()]


def feed(paragraphs):
    """Articles (lists of paragraphs) totalling `paragraphs`, the last one cut to fit."""
    docs, out, count, i = documents(), [], 0, 0
    while count < paragraphs:
        d = docs[i % len(docs)][: paragraphs - count]
        out.append(d)
        count += len(d)
        i += 1
    return out


def write_jsonl(articles, path):
    if not os.path.exists(path):
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            for i, paragraphs in enumerate(articles):
                f.write(json.dumps({"id": f"a{i}", "text": "\n\n".join(paragraphs)}) + "\n")
        os.replace(path + ".tmp", path)
    return path


def threads_now():
    return len(os.listdir("/proc/self/task"))


def python_child(path, paragraphs, threads):
    """Runs in a process started with RAYON_NUM_THREADS set; prints JSON timings.

    Runs alternate (CLI, lists, texts, CLI, ...) so that load from other work on a shared
    machine falls on all three alike; each is the best of RUNS. CPU seconds are counted
    too (the CLI's from the child's rusage, Python's for the whole process), as they
    suffer less from such load than wall time."""
    assert os.environ.get("RAYON_NUM_THREADS") == str(threads)
    import chaff

    articles = feed(paragraphs)
    texts = ["\n\n".join(a) for a in articles]
    before = threads_now()
    chaff.Model().tag([["warm-up paragraph", "and another"]])
    result = {"rayon_threads": threads_now() - before}
    cli = [CHAFF, "tag", path, "--threads", str(threads), "-o", "/dev/null", "--quiet"]

    def run_cli():
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

    def run_python(data):
        model = chaff.Model()  # fresh repetition counts, as each CLI run has
        start, cpu = time.perf_counter(), time.process_time()
        tagged = model.tag(data)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert sum(len(t) for t in tagged) == paragraphs
        return wall, cpu

    best = {}
    for _ in range(RUNS):
        for name, run in (("cli", run_cli), ("lists", lambda: run_python(articles)),
                          ("texts", lambda: run_python(texts))):
            wall, cpu = run()
            old = best.get(name, (float("inf"), float("inf")))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    result.update(best)
    print(json.dumps(result))


def speed(paragraphs):
    if not os.path.exists(CHAFF):
        subprocess.run(["cargo", "build", "--release", "--bin", "chaff"], cwd=ROOT, check=True)
    os.makedirs(OUT, exist_ok=True)
    articles = feed(paragraphs)
    path = write_jsonl(articles, os.path.join(OUT, f"feed-{paragraphs}.jsonl"))
    print(f"{paragraphs:,} paragraphs in {len(articles):,} articles "
          f"({paragraphs / len(articles):.1f} per article), best of {RUNS}",
          file=sys.stderr)
    rows = []
    for threads in (1, 2):
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        out = subprocess.run([sys.executable, __file__, "--child", path, str(paragraphs),
                              str(threads)], env=env, check=True, capture_output=True,
                             text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        if r["rayon_threads"] != threads:
            sys.exit(f"RAYON_NUM_THREADS={threads} started {r['rayon_threads']} threads")
        rows.append((threads, r))
        print(f"threads {threads}: " + ", ".join(
            f"{k} {r[k][0]:.2f} s wall {r[k][1]:.2f} s CPU" for k in ("cli", "lists", "texts")),
            file=sys.stderr)
    print("| threads | CLI, paragraphs/s | `m.tag`, lists of paragraphs | `m.tag`, texts "
          "| CPU time, CLI / lists / texts |")
    print("|---:|---:|---:|---:|---:|")
    for threads, r in rows:
        rate = {k: paragraphs / r[k][0] for k in ("cli", "lists", "texts")}
        print(f"| {threads} | {rate['cli']:,.0f} "
              f"| {rate['lists']:,.0f} ({rate['lists'] / rate['cli']:.0%}) "
              f"| {rate['texts']:,.0f} ({rate['texts'] / rate['cli']:.0%}) "
              f"| {r['cli'][1]:.2f} / {r['lists'][1]:.2f} / {r['texts'][1]:.2f} s |")


def memory_child(path, batch):
    """Tags the JSONL feed at `path` read line by line, `batch` articles per call (0: the
    whole feed in one call), and prints JSON with the time taken."""
    import chaff

    def texts(path):
        import gzip
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)["text"]

    def batches(items, size):
        chunk = []
        for item in items:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    model = chaff.Model()
    counts = {}
    start = time.perf_counter()
    for chunk in batches(texts(path), batch) if batch else [list(texts(path))]:
        for article in model.tag(chunk):
            for p in article:
                counts[p["label"]] = counts.get(p["label"], 0) + 1
    print(json.dumps({"seconds": time.perf_counter() - start, "labels": counts}))


def memory(paragraphs, sizes, given=None):
    if given:
        path, sizes, what = given, sizes, f"{os.path.getsize(given) / 1e9:.2f} GB of {given}"
    else:
        os.makedirs(OUT, exist_ok=True)
        path = write_jsonl(feed(paragraphs), os.path.join(OUT, f"feed-{paragraphs}.jsonl"))
        sizes, what = sizes + [0], f"{paragraphs:,} paragraphs"
    rows, tagged = [], 0
    for batch in sizes:
        cmd = ["/usr/bin/time", "-v", sys.executable, __file__, "--memory-child", path,
               str(batch)]
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rss = next(int(l.split(":")[1]) for l in proc.stderr.splitlines()
                   if "Maximum resident set size" in l) / 1024
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        seconds, tagged = result["seconds"], sum(result["labels"].values())
        rows.append((f"batches of {batch:,} articles" if batch else "one call", rss, seconds))
    print(f"Tagging {what} ({tagged:,} paragraphs) read from JSONL, one Python process "
          f"(RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'unset')})")
    print("| `m.tag` calls | peak RSS, MB | seconds |")
    print("|---|---:|---:|")
    for name, rss, seconds in rows:
        print(f"| {name} | {rss:,.0f} | {seconds:.1f} |")


def main():
    if sys.argv[1:2] == ["--child"]:
        return python_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    if sys.argv[1:2] == ["--memory-child"]:
        return memory_child(sys.argv[2], int(sys.argv[3]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--memory-paragraphs", type=int, default=1_000_000)
    ap.add_argument("--memory-feed", metavar="FILE", help="measure memory on this JSONL(.gz) feed")
    ap.add_argument("--batch", type=int, nargs="+", default=[1_000, 10_000],
                    help="articles per call (--memory)")
    args = ap.parse_args()
    if args.memory or args.memory_feed:
        memory(args.memory_paragraphs, args.batch, args.memory_feed)
    else:
        speed(args.paragraphs)


if __name__ == "__main__":
    main()
