#!/usr/bin/env python3
"""chaff against fastText, measured in one run (see benches/speed). Data is built by
replicating the paragraphs of data/*.csv and ../shared/bench/*.csv (when present) into
feeds of 10k, 100k and 1M paragraphs, and newsroom-dev's real pages alone ten times; training uses data/train.csv replicated to 50,000
paragraphs, with accuracy measured on data/test.csv (held-out publishers), and newsroom-dev
replicated ten times, with accuracy measured on challenge.csv (other publishers)."""
import csv, datetime, json, os, platform, re, resource, statistics, subprocess, sys, time

csv.field_size_limit(sys.maxsize)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "speed")
CHAFF = os.path.join(ROOT, "target", "release", "chaff")
CORES = os.cpu_count() or 1
# Alternating rounds behind each ratio row, best of each side. Five left rows swinging by
# 20-40% between runs on this shared machine (the 1-thread ratio read 1.99x and 1.67x a
# few hours apart on 2026-12-03); nine cost about a minute more.
ROUNDS = 15
BIG = "--big" in sys.argv


def read(path):
    return list(csv.DictReader(open(path, encoding="utf-8", newline="")))


def articles():
    sources = [os.path.join(ROOT, "data", f) for f in ("train.csv", "test.csv")]
    bench = os.path.join(ROOT, "..", "shared", "bench")
    for f in ("newsroom-dev.csv", "challenge.csv"):
        if os.path.exists(os.path.join(bench, f)):
            sources.append(os.path.join(bench, f))
    docs = {}
    for path in sources:
        for r in read(path):
            docs.setdefault((path, r["doc_id"]), []).append(r["text"])
    return list(docs.values())


def write_feeds(docs, n):
    jsonl = os.path.join(OUT, f"feed-{n}.jsonl")
    csvf = os.path.join(OUT, f"feed-{n}.csv")
    if os.path.exists(jsonl) and os.path.exists(csvf):
        return jsonl, csvf
    count = i = 0
    with open(jsonl, "w") as j, open(csvf, "w", newline="") as c:
        w = csv.writer(c)
        w.writerow(["doc_id", "position", "text"])
        while count < n:
            d = docs[i % len(docs)]
            i += 1
            j.write(json.dumps({"id": f"a{i}", "text": "\n\n".join(d)}) + "\n")
            for p, t in enumerate(d):
                w.writerow([f"a{i}", p, t])
            count += len(d)
    return jsonl, csvf


def timed_direct(cmd, runs):
    """Best wall time of `runs` runs of `cmd`, started straight from this process."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
        best = wall if best is None else min(best, wall)
    return best


def timed(cmd, runs=3):
    """Best wall time of `runs` runs and the peak RSS (MB) of the best run, measured by
    /usr/bin/time (a child forked from this Python process would report Python's own
    resident memory)."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
        rss = int(proc.stderr.strip().splitlines()[-1]) / 1024
        if best is None or wall < best[0]:
            best = (wall, rss)
    return best


def timed_pair(cmd_a, cmd_b, runs):
    """Best wall times of two commands run alternately, and the ratio of each round's
    times (a over b): on a shared machine, back-to-back batches of one and then the other
    measured differences of 10-20% between identical binaries, which alternating cancels."""
    best_a = best_b = None
    ratios = []
    for _ in range(runs):
        a, _ = timed(cmd_a, runs=1)
        b, _ = timed(cmd_b, runs=1)
        best_a = a if best_a is None else min(best_a, a)
        best_b = b if best_b is None else min(best_b, b)
        ratios.append(a / b)
    return best_a, best_b, ratios


def scaling(path, runs):
    """`chaff tag path` on 1 thread and on all cores, run alternately: each side's best
    wall time and each round's ratio (1 thread's time over all cores')."""
    return timed_pair([CHAFF, "tag", path, "--threads", "1", "--quiet"],
                      [CHAFF, "tag", path, "--threads", str(CORES), "--quiet"], runs=runs)


def processes_at_once(path, runs):
    """The machine's own ceiling for the scaling rows: one 1-thread `chaff tag path` alone
    against as many started at once as there are cores (how a pipeline running one
    process per core uses chaff), run alternately. Each round's ratio is the throughput of
    the processes together over the one's: with no shared memory, locks or hand-overs
    between them, what it lacks of the core count is what the machine itself loses (shared
    caches, memory, the host's other guests)."""
    cmd = [CHAFF, "tag", path, "--threads", "1", "--quiet"]
    ratios = []
    for _ in range(runs):
        alone, _ = timed(cmd, runs=1)
        start = time.perf_counter()
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for _ in range(CORES)]
        for p in procs:
            if p.wait() != 0:
                sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr.read().decode()}")
        together = time.perf_counter() - start
        ratios.append(CORES * alone / together)
    return ratios


def alternate_with_fasttext(cmd, model, prepared, rounds=ROUNDS):
    """Best wall times of a chaff command and of fastText's raw batch predict, run
    alternately, and each round's ratio (fastText's time over chaff's): this machine's
    speed drifts by 20-40% within minutes, and ratios of runs made minutes apart measured
    the drift (one table gave 0.73x and 1.67x in the same run)."""
    best_chaff = best_ft = float("inf")
    ratios = []
    for _ in range(rounds):
        chaff_s = timed(cmd, runs=1)[0]
        start = time.perf_counter()
        model.predict(prepared, k=1)
        ft_s = time.perf_counter() - start
        best_chaff = min(best_chaff, chaff_s)
        best_ft = min(best_ft, ft_s)
        ratios.append(ft_s / chaff_s)
    return best_chaff, best_ft, ratios


def paired(ratios):
    """A ratio row's figure: the median of the rounds' own ratios, each from two runs made
    a second apart, with their range. Within one run of this benchmark, fastText's best
    predict moved between 95,000 and 128,000 paragraphs/s from run to run and single rounds
    between 68,000 and 110,000, so the ratio of two independent bests measured whichever
    side met the quieter moment; a round's ratio compares the two under the same load."""
    return f"**{statistics.median(ratios):.2f}x** ({min(ratios):.2f}-{max(ratios):.2f})"


def prepare(text):
    return " ".join(re.findall(r"\w+|[^\w\s]", text.lower()))


def fasttext_side(train_rows, test_rows, threads, epoch, dim):
    import fasttext
    path = os.path.join(OUT, "fasttext-train.txt")
    with open(path, "w") as f:
        for r in train_rows:
            f.write(f"__label__{r['label']} {prepare(r['text'])}\n")
    start = time.perf_counter()
    model = fasttext.train_supervised(path, epoch=epoch, wordNgrams=2, lr=0.5, dim=dim,
                                      minCount=1, thread=threads, verbose=0, seed=1)
    train_s = time.perf_counter() - start
    labels, _ = model.predict([prepare(r["text"]) for r in test_rows])
    truth = [r["label"] for r in test_rows]
    pred = [l[0].replace("__label__", "") for l in labels]
    return model, train_s, macro_f1(truth, pred)


def faster(theirs, ours):
    """A time ratio in words, whichever side wins."""
    if ours <= theirs:
        return f"{theirs / ours:.2f}x faster"
    return f"{ours / theirs:.2f}x slower"


def macro_f1(truth, pred):
    scores = []
    for l in sorted(set(truth) | set(pred)):
        tp = sum(1 for t, p in zip(truth, pred) if t == l and p == l)
        pp = sum(1 for p in pred if p == l)
        sp = sum(1 for t in truth if t == l)
        pr = tp / pp if pp else 0.0
        rc = tp / sp if sp else 0.0
        scores.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(scores) / len(scores)


def train_on_real(dev_rows):
    """Issue 18's training measure: both tools trained on newsroom-dev's real paragraphs
    replicated ten times (one copy of a page per document id, so chaff's folds still group
    by site), one thread, best of three; both scored on challenge.csv, which holds other
    publishers. fastText runs at the cheapest of its four settings within 0.005 macro-F1 of
    its best, as in the main table."""
    challenge = read(os.path.join(ROOT, "..", "shared", "bench", "challenge.csv"))
    rows = [dict(r, doc_id=f"{r['doc_id']}-{copy}") for copy in range(10) for r in dev_rows]
    path = os.path.join(OUT, "newsroom-dev-x10.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    model = os.path.join(OUT, "newsroom-dev-x10.chaff")
    chaff_s, _ = timed([CHAFF, "train", path, "-o", model, "--threads", "1", "--quiet"], runs=3)
    report = json.loads(subprocess.run(
        [CHAFF, "eval", os.path.join(ROOT, "..", "shared", "bench", "challenge.csv"), "-m", model,
         "--format", "json"], check=True, capture_output=True, text=True).stdout)
    tried = [(fasttext_side(rows, challenge, 1, epoch, dim), epoch, dim)
             for epoch in (5, 25) for dim in (50, 100)]
    top = max(t[0][2] for t in tried)
    (_, ft_s, ft_f1), epoch, dim = min((t for t in tried if t[0][2] >= top - 0.005),
                                        key=lambda t: t[1] * t[2])
    for _ in range(2):
        ft_s = min(ft_s, fasttext_side(rows, challenge, 1, epoch, dim)[1])
    print(f"train on real paragraphs: chaff {chaff_s:.1f} s (F1 {report['macro_f1']:.3f}), "
          f"fastText {ft_s:.1f} s (F1 {ft_f1:.3f})", file=sys.stderr)
    return {"rows": len(rows), "chaff_s": chaff_s, "chaff_f1": report["macro_f1"], "ft_s": ft_s,
            "ft_f1": ft_f1, "ft_epoch": epoch, "ft_dim": dim}


def main():
    os.makedirs(OUT, exist_ok=True)
    docs = articles()
    feeds = {n: write_feeds(docs, n) for n in (10_000, 100_000, 1_000_000)}
    rows = {}

    # Tag throughput, whole process, JSONL and CSV, one thread and all cores.
    for n, (jsonl, csvf) in feeds.items():
        for fmt, path in (("JSONL", jsonl), ("CSV", csvf)):
            for threads in (1, CORES):
                wall, rss = timed([CHAFF, "tag", path, "--threads", str(threads), "--quiet"])
                rows[(n, fmt, threads)] = (n / wall, rss)
                print(f"chaff tag {fmt} {n} paragraphs, {threads} thread(s): "
                      f"{n / wall:,.0f}/s, {rss:.0f} MB", file=sys.stderr)
    # The input limit: chaff's own reader cutting the same 100k feed into paragraphs, with
    # no tagging (examples/read_feed.rs), so the table shows how far tagging is from it.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "read_feed"],
                   cwd=ROOT, check=True)
    read_feed = os.path.join(ROOT, "target", "release", "examples", "read_feed")
    read_wall, _ = timed([read_feed, feeds[100_000][0]], runs=5)
    read_rate = 100_000 / read_wall
    print(f"read and split only, 100k JSONL: {read_rate:,.0f}/s", file=sys.stderr)
    # The cost of reading the article, not the paragraph: the same feed with a model whose
    # text stage reads each paragraph alone and has no context stage.
    text_only = os.path.join(OUT, "text-only.chaff")
    subprocess.run([CHAFF, "train", os.path.join(ROOT, "data", "train.csv"), "--no-context",
                    "--no-neighbours", "-o", text_only, "--quiet"], check=True)
    jsonl_100k = feeds[100_000][0]
    t_full, t_text, _ = timed_pair([CHAFF, "tag", jsonl_100k, "--threads", "1", "--quiet"],
                                [CHAFF, "tag", jsonl_100k, "--threads", "1", "--quiet", "-m", text_only],
                                runs=7)

    # fastText: raw batch predict on the same 100k paragraphs, one thread.
    train_src = read(os.path.join(ROOT, "data", "train.csv"))
    train_rows = (train_src * (50_000 // len(train_src) + 1))[:50_000]
    test_rows = read(os.path.join(ROOT, "data", "test.csv"))
    texts = [t for d in (json.loads(l)["text"] for l in open(jsonl_100k)) for t in d.split("\n\n")]
    # fastText at the settings that reach its best macro-F1 on this split (word bigrams;
    # epochs and dimensions searched), as the comparison asks. Its four settings score
    # within 0.002 of each other here, so "best" alone picked between a 1 s and a 5 s
    # training from run to run; the cheapest setting within F1_NOISE of the best is used.
    F1_NOISE = 0.005
    tried = []
    for epoch in (5, 25):
        for dim in (50, 100):
            model, train_s, f1 = fasttext_side(train_rows, test_rows, 1, epoch, dim)
            print(f"fastText epoch={epoch} dim={dim}: macro-F1 {f1:.3f}, train {train_s:.1f} s",
                  file=sys.stderr)
            tried.append((model, train_s, f1, epoch, dim))
    top_f1 = max(t[2] for t in tried)
    best = min((t for t in tried if t[2] >= top_f1 - F1_NOISE), key=lambda t: t[3] * t[4])
    ft_model, ft_train_1, ft_f1, ft_epoch, ft_dim = best
    # Training times are the best of three runs, as chaff's are: one run varied by 2x here.
    for _ in range(2):
        ft_train_1 = min(ft_train_1, fasttext_side(train_rows, test_rows, 1, ft_epoch, ft_dim)[1])
    start = time.perf_counter()
    prepared = [prepare(t) for t in texts]
    prep_s = time.perf_counter() - start
    # chaff's tagging and fastText's predict alternate, ROUNDS rounds.
    one_s, predict_s, one_ratios = alternate_with_fasttext(
        [CHAFF, "tag", jsonl_100k, "--threads", "1", "--quiet"], ft_model, prepared)
    one = len(texts) / one_s
    ft_raw = len(texts) / predict_s
    # One thread against all cores, alternating, for the scaling ratio.
    t_one, t_all, scaling_100k = scaling(jsonl_100k, runs=ROUNDS)
    # What the machine itself gives two processes that share nothing, on the same feed.
    ceiling_100k = processes_at_once(jsonl_100k, runs=ROUNDS)
    # The same on the 1M feed, fewer rounds (about 8 s each): the start, the first chunk
    # and the last batch, which two threads cannot share, weigh less on a long feed.
    jsonl_1m = feeds[1_000_000][0]
    t_one_1m, t_all_1m, scaling_1m = scaling(jsonl_1m, runs=5)
    ft_with_prep = len(texts) / (predict_s + prep_s)
    ft_train_all = min(fasttext_side(train_rows, test_rows, CORES, ft_epoch, ft_dim)[1]
                       for _ in range(3))

    # Real paragraphs: newsroom-dev's pages replicated ten times (issue 18's own measure).
    # They average about 140 characters against data/'s 89, and cues and shape scans cost
    # per byte, so the ratio on data/ text flatters chaff.
    real = real_train = real_scaled = None
    dev = os.path.join(ROOT, "..", "shared", "bench", "newsroom-dev.csv")
    if os.path.exists(dev):
        dev_docs = {}
        for r in read(dev):
            dev_docs.setdefault(r["doc_id"], []).append(r["text"])
        real_path = os.path.join(OUT, "newsroom-dev-x10.jsonl")
        with open(real_path, "w") as f:
            for copy in range(10):
                for doc_id, paragraphs in dev_docs.items():
                    f.write(json.dumps({"id": f"{doc_id}-{copy}", "text": "\n\n".join(paragraphs)}) + "\n")
        real_texts = [t for d in dev_docs.values() for t in d] * 10
        prepared_real = [prepare(t) for t in real_texts]
        real_wall, ft_real_s, real_ratios = alternate_with_fasttext(
            [CHAFF, "tag", real_path, "--threads", "1", "--quiet"], ft_model, prepared_real)
        real = (len(real_texts), len(real_texts) / real_wall, len(real_texts) / ft_real_s)
        # Issue 18 asks for every target on real paragraphs too, 2 threads against 1 included.
        real_one, real_all, real_scaling = scaling(real_path, runs=ROUNDS)
        real_scaled = (len(real_texts) / real_all, len(real_texts) / real_one, real_scaling,
                       processes_at_once(real_path, runs=ROUNDS))
        print(f"real paragraphs: chaff {real[1]:,.0f}/s, fastText {real[2]:,.0f}/s", file=sys.stderr)
        real_train = train_on_real(read(dev))

    # chaff train on the same 50,000 paragraphs (publishers kept, so grouping is honest).
    train_50k = os.path.join(OUT, "train-50k.csv")
    with open(train_50k, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["doc_id", "position", "text", "label", "publisher"])
        for k, r in enumerate(train_rows):
            w.writerow([f"{r['doc_id']}-{k // len(train_src)}", r["position"], r["text"],
                        r["label"], r["publisher"]])
    model_50k = os.path.join(OUT, "chaff-50k.chaff")
    ch_train_1, _ = timed([CHAFF, "train", train_50k, "-o", model_50k, "--threads", "1", "--quiet"], runs=3)
    ch_train_all, ch_train_rss = timed([CHAFF, "train", train_50k, "-o", model_50k, "--quiet"], runs=3)
    report = json.loads(subprocess.run(
        [CHAFF, "eval", os.path.join(ROOT, "data", "test.csv"), "-m", model_50k, "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    ch_f1 = report["macro_f1"]

    one_article = [CHAFF, "tag", os.path.join(ROOT, "data", "examples", "highveld-taxi-fares.txt"), "--quiet"]
    # Start-up is timed without /usr/bin/time in between (it adds about 2 ms of its own
    # fork and exec); its memory comes from a run under /usr/bin/time.
    load_s = timed_direct(one_article, runs=30)
    _, load_rss = timed(one_article, runs=1)
    model_mb = os.path.getsize(os.path.join(ROOT, "models", "default.chaff")) / 2**20

    big = None
    if BIG:
        path = os.path.join(OUT, "feed-2gb.jsonl")
        if not os.path.exists(path):
            with open(path, "w") as out, open(feeds[1_000_000][0]) as src:
                block = src.read()
                while out.tell() < 2 * 2**30:
                    out.write(block)
        size = os.path.getsize(path) / 2**30
        wall, rss = timed([CHAFF, "tag", path, "--quiet"], runs=1)
        big = (size, wall, rss)

    lines = [
        f"Measured {datetime.date.today().isoformat()} by `benches/speed` on {platform.machine()} "
        f"Linux, {CORES} cores; whole process (start, model load, read, tag, write); where a "
        f"ratio is given, the two sides ran alternately for {ROUNDS} rounds: the rates are "
        f"each side's best round, the ratio the median of the rounds' own ratios (their range "
        f"in brackets). "
        f"fastText: word bigrams, {ft_epoch} epochs, {ft_dim} dimensions (its best macro-F1 "
        f"here among 5/25 epochs and 50/100 dimensions, the cheapest within {F1_NOISE} of the "
        f"best).",
        "",
        "| measure | chaff | fastText | ratio |",
        "|---|---:|---:|---:|",
        f"| tag, paragraphs/s, 1 thread (100k JSONL) | {one:,.0f} | {ft_raw:,.0f} (raw `predict`) | {paired(one_ratios)} |",
        f"| tag, paragraphs/s, 1 thread, vs fastText with its text preparation | {one:,.0f} | {ft_with_prep:,.0f} | {one / ft_with_prep:.2f}x |",
        *([f"| tag, paragraphs/s, 1 thread, real paragraphs (newsroom-dev ×10, {real[0]:,}) | {real[1]:,.0f} | {real[2]:,.0f} (raw `predict`) | {paired(real_ratios)} |"]
          if real else []),
        f"| tag, paragraphs/s, {CORES} threads against 1 (100k JSONL, alternating runs) | {len(texts) / t_all:,.0f} against {len(texts) / t_one:,.0f} | | {paired(scaling_100k)} |",
        f"| the machine's ceiling for that: {CORES} 1-thread processes at once against 1, throughput (100k JSONL, alternating runs) | | | {paired(ceiling_100k)} |",
        f"| tag, paragraphs/s, {CORES} threads against 1 (1M JSONL, 5 alternating rounds) | {1_000_000 / t_all_1m:,.0f} against {1_000_000 / t_one_1m:,.0f} | | {paired(scaling_1m)} |",
        *([f"| tag, paragraphs/s, {CORES} threads against 1, real paragraphs (newsroom-dev ×10, alternating runs) | {real_scaled[0]:,.0f} against {real_scaled[1]:,.0f} | | {paired(real_scaled[2])} |",
           f"| the machine's ceiling for that: {CORES} 1-thread processes at once against 1, throughput (newsroom-dev ×10, alternating runs) | | | {paired(real_scaled[3])} |"]
          if real_scaled else []),
        f"| read and split only, no tagging (`examples/read_feed.rs`), paragraphs/s, 1 thread (100k JSONL) | {read_rate:,.0f} | | tagging runs at {one / read_rate:.0%} of it |",
        f"| train on 50,000 paragraphs, 1 thread | {ch_train_1:.1f} s | {ft_train_1:.1f} s | **{faster(ft_train_1, ch_train_1)}** |",
        *([f"| train on real paragraphs (newsroom-dev ×10, {real_train['rows']:,}), 1 thread; fastText at {real_train['ft_epoch']} epochs, {real_train['ft_dim']} dimensions | {real_train['chaff_s']:.1f} s | {real_train['ft_s']:.1f} s | **{faster(real_train['ft_s'], real_train['chaff_s'])}** |",
           f"| macro-F1 on challenge.csv (other publishers) after that training | {real_train['chaff_f1']:.3f} | {real_train['ft_f1']:.3f} | +{real_train['chaff_f1'] - real_train['ft_f1']:.3f} |"]
          if real_train else []),
        f"| train on 50,000 paragraphs, {CORES} threads | {ch_train_all:.1f} s | {ft_train_all:.1f} s | {faster(ft_train_all, ch_train_all)} |",
        f"| macro-F1 on data/test.csv after that training | {ch_f1:.3f} | {ft_f1:.3f} | +{ch_f1 - ft_f1:.3f} |",
        f"| peak memory, train on 50,000 paragraphs | {ch_train_rss:.0f} MB | | |",
        f"| start + load default model + tag one article (best of 30) | {load_s * 1000:.1f} ms, {load_rss:.0f} MB | | |",
        f"| default model file | {model_mb:.1f} MB | | |",
        f"| cost of context and neighbours (default model against text stage only, each paragraph alone, 1 thread) | +{(t_full / t_text - 1) * 100:.0f}% time | | |",
        "",
        "| paragraphs | JSONL, 1 thread | JSONL, all cores | CSV, 1 thread | CSV, all cores | peak memory |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in (10_000, 100_000, 1_000_000):
        r = lambda fmt, t: f"{rows[(n, fmt, t)][0]:,.0f}/s"
        peak = max(rows[(n, f, t)][1] for f in ("JSONL", "CSV") for t in (1, CORES))
        lines.append(f"| {n:,} | {r('JSONL', 1)} | {r('JSONL', CORES)} | {r('CSV', 1)} | {r('CSV', CORES)} | {peak:.0f} MB |")
    if big:
        size, wall, rss = big
        lines += ["", f"A {size:.1f} GB JSONL feed: tagged in {wall:.0f} s on all cores with a peak of "
                  f"{rss:.0f} MB resident."]
    table = "\n".join(lines)
    print(table)
    readme = os.path.join(ROOT, "README.md")
    text = open(readme).read()
    begin = "<!-- BEGIN speed (generated: do not edit by hand) -->"
    end = "<!-- END speed -->"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        if not BIG and "GB JSONL feed" in rest.split(end, 1)[0]:
            # Keep the last --big figure when this run did not measure it.
            old = [l for l in rest.split(end, 1)[0].splitlines() if "GB JSONL feed" in l]
            note = " (from an earlier `--big` run)"
            # The kept line may already carry the note: add it once, not once per run.
            table += "\n\n" + old[0].replace(note, "") + note
        open(readme, "w").write(f"{head}{begin}\n{table}\n{end}{tail}")
        print("README.md speed table updated", file=sys.stderr)


if __name__ == "__main__":
    main()
