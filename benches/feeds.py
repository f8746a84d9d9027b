#!/usr/bin/env python3
"""Feeds as they really come (issue 16): measures chaff on the article shapes real feeds
have, with the release binary and the real pages of ../shared/bench/newsroom-dev.csv.

  python3 benches/feeds.py [--model MODEL] [--json OUT.json]

1. One paragraph per record: newsroom-dev.csv with doc_id and position removed, so every
   row is its own one-paragraph article (target: macro-F1 >= 0.70).
2. A short article: an appeal and two body paragraphs, in both orders (target: every body
   paragraph tagged reporting).
3. Syndication: 30 newsroom-dev articles, each repeated 20 times under new ids (copy 1 of
   all 30, then copy 2, ...), tagged as one stream: reporting recall on the 20th copies
   against a single copy (target: within 0.02).
"""
import argparse, csv, io, json, os, subprocess, sys, tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHAFF = os.environ.get("CHAFF_BIN", os.path.join(ROOT, "target", "release", "chaff"))
DEV = os.path.join(ROOT, "..", "shared", "bench", "newsroom-dev.csv")
LABELS = ["reporting", "donation_appeal", "gallery_caption", "boilerplate"]


def run(args, stdin=None):
    out = subprocess.run([CHAFF] + args, input=stdin, capture_output=True, check=True)
    return out.stdout.decode()


def macro_f1(pairs):
    f1s = []
    for l in LABELS:
        tp = sum(1 for t, p in pairs if t == l and p == l)
        fp = sum(1 for t, p in pairs if t != l and p == l)
        fn = sum(1 for t, p in pairs if t == l and p != l)
        if tp + fp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def tag_csv(rows, model, header):
    """Tags CSV rows (dicts) as one stream; returns the predicted label per row, in order."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header)
    w.writeheader()
    w.writerows({k: r[k] for k in header} for r in rows)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(buf.getvalue())
        path = f.name
    try:
        args = ["tag", path, "--format", "jsonl", "--quiet"] + (["-m", model] if model else [])
        return [json.loads(l)["label"] for l in run(args).splitlines()]
    finally:
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--json")
    a = ap.parse_args()
    if not os.path.exists(DEV):
        sys.exit("benches/feeds.py: ../shared/bench/newsroom-dev.csv is absent")
    rows = list(csv.DictReader(open(DEV, encoding="utf-8")))
    result = {}

    # 1. One paragraph per record.
    predicted = tag_csv(rows, a.model, ["text"])
    result["one_paragraph_per_record_macro_f1"] = macro_f1(
        [(r["label"], p) for r, p in zip(rows, predicted)])
    with_ids = tag_csv(rows, a.model, ["doc_id", "position", "text"])
    result["with_doc_id_macro_f1"] = macro_f1([(r["label"], p) for r, p in zip(rows, with_ids)])

    # 2. The short article of the issue, both orders.
    appeal = "Your support helps us tell the story. Donate now to keep our reporting free."
    body = ["The city council voted on Monday to raise bus fares by ten cents from March, "
            "the first increase in six years.",
            "Council members said the extra revenue would pay for longer evening service "
            "on four routes."]
    short = {}
    for name, paragraphs in [("appeal_first", [appeal] + body), ("appeal_last", body + [appeal])]:
        args = ["tag", "--format", "jsonl", "--quiet"] + (["-m", a.model] if a.model else [])
        out = run(args, "\n\n".join(paragraphs).encode())
        short[name] = [json.loads(l)["label"] for l in out.splitlines()]
    result["short_article"] = short
    result["short_article_bodies_all_reporting"] = all(
        labels[i] == "reporting"
        for labels, idx in [(short["appeal_first"], [1, 2]), (short["appeal_last"], [0, 1])]
        for i in idx)

    # 3. Syndication.
    docs = defaultdict(list)
    for r in rows:
        docs[r["doc_id"]].append(r)
    chosen = sorted(d for d in docs if sum(r["label"] == "reporting" for r in docs[d]) >= 3)[:30]
    copies = 20
    stream = []
    for c in range(copies):
        for d in chosen:
            for r in sorted(docs[d], key=lambda r: int(r["position"])):
                stream.append(dict(r, doc_id=f"{d}~copy{c}"))
    predicted = tag_csv(stream, a.model, ["doc_id", "position", "text"])

    single_rows = [r for r in stream if r["doc_id"].endswith("~copy0")]
    single = tag_csv(single_rows, a.model, ["doc_id", "position", "text"])

    def recall(rows_, labels, copy):
        pairs = [(r["label"], p) for r, p in zip(rows_, labels)
                 if r["doc_id"].endswith(f"~copy{copy}") and r["label"] == "reporting"]
        return sum(p == "reporting" for _, p in pairs) / len(pairs)

    one = recall(single_rows, single, 0)
    last = recall(stream, predicted, copies - 1)
    result["syndication_recall_single_copy"] = one
    result["syndication_recall_last_copy"] = last
    result["syndication_drop"] = one - last
    print(json.dumps(result, indent=2))
    if a.json:
        json.dump(result, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    main()
