#!/usr/bin/env python3
"""The peers chaff is measured against, trained and scored on the same data and folds:
fastText (supervised, word bigrams, 25 epochs), TF-IDF word 1-2 grams + logistic
regression, and character 2-5 grams + linear SVM (scikit-learn).

Held-out:   peers.py holdout --train data/train.csv --test A.csv [--test B.csv] --out DIR
Grouped CV: peers.py cv --data newsroom-dev.csv --folds folds.csv --out DIR [--with EXTRA.csv]
            (folds.csv from `chaff cv ... --folds-out folds.csv`: the same folds as chaff;
            --with adds EXTRA.csv to every fold's training data, as `chaff cv --with` does;
            --kind K names the results K-<set>, default cv)

Writes DIR/<peer>--<set>.json with macro_f1, reporting_vs_rest_f1, accuracy and per-label
precision/recall/f1/support, and prints timings. Needs: pip install fasttext-wheel scikit-learn
(benches/accuracy installs them)."""
import argparse, csv, json, os, re, sys, tempfile, time

csv.field_size_limit(sys.maxsize)
LABELS = ["reporting", "donation_appeal", "gallery_caption", "boilerplate"]


def read(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
    return [r["text"] for r in rows], [r["label"] for r in rows], [r.get("doc_id", "") for r in rows]


def prepare(text):
    # fastText's own examples lowercase and split punctuation off words.
    return " ".join(re.findall(r"\w+|[^\w\s]", text.lower()))


def fasttext_peer(train_x, train_y, test_x, threads=1):
    import fasttext
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for x, y in zip(train_x, train_y):
            f.write(f"__label__{y} {prepare(x)}\n")
        name = f.name
    t0 = time.perf_counter()
    model = fasttext.train_supervised(name, epoch=25, wordNgrams=2, lr=0.5, dim=50, minCount=1,
                                      thread=threads, verbose=0, seed=1)
    train_s = time.perf_counter() - t0
    os.unlink(name)
    t0 = time.perf_counter()
    labels, _ = model.predict([prepare(x) for x in test_x])
    predict_s = time.perf_counter() - t0
    return [l[0].replace("__label__", "") for l in labels], train_s, predict_s


def sklearn_peer(kind, train_x, train_y, test_x):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC
    if kind == "tfidf-lr":
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
                              LogisticRegression(max_iter=2000, C=10))
    else:
        model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                              LinearSVC(C=0.5))
    t0 = time.perf_counter()
    model.fit(train_x, train_y)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = list(model.predict(test_x))
    return pred, train_s, time.perf_counter() - t0


PEERS = {
    "fasttext": lambda a, b, c: fasttext_peer(a, b, c),
    "tfidf-lr": lambda a, b, c: sklearn_peer("tfidf-lr", a, b, c),
    "char-svm": lambda a, b, c: sklearn_peer("char-svm", a, b, c),
}


def scores(truth, pred):
    out = {"rows": len(truth), "labels": {}}
    active = []
    for l in LABELS:
        tp = sum(1 for t, p in zip(truth, pred) if t == l and p == l)
        support = sum(1 for t in truth if t == l)
        predicted = sum(1 for p in pred if p == l)
        prec = tp / predicted if predicted else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out["labels"][l] = {"precision": prec, "recall": rec, "f1": f1, "support": support}
        if support or predicted:
            active.append(f1)
    out["macro_f1"] = sum(active) / len(active) if active else 0.0
    out["accuracy"] = sum(1 for t, p in zip(truth, pred) if t == p) / max(1, len(truth))
    out["reporting_vs_rest_f1"] = out["labels"]["reporting"]["f1"]
    return out


def save(out_dir, peer, set_name, result):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"{peer}--{set_name}.json"), "w") as f:
        json.dump(result, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["holdout", "cv"])
    ap.add_argument("--train")
    ap.add_argument("--test", action="append", default=[])
    ap.add_argument("--data")
    ap.add_argument("--folds")
    ap.add_argument("--with", dest="extra")
    ap.add_argument("--kind", default="cv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--peers", default=",".join(PEERS))
    a = ap.parse_args()
    peers = a.peers.split(",")
    if a.mode == "holdout":
        tx, ty, _ = read(a.train)
        for test in a.test:
            x, y, _ = read(test)
            name = os.path.splitext(os.path.basename(test))[0]
            for peer in peers:
                pred, tr, pr = PEERS[peer](tx, ty, x)
                result = scores(y, pred)
                result.update(train_seconds=tr, predict_seconds=pr)
                save(a.out, peer, name, result)
                print(f"{peer:9s} {name:14s} macro-F1 {result['macro_f1']:.3f} "
                      f"train {tr:.1f}s predict {pr:.2f}s", file=sys.stderr)
    else:
        x, y, docs = read(a.data)
        fold_of = {r["doc_id"]: int(r["fold"]) for r in csv.DictReader(open(a.folds))}
        folds = sorted(set(fold_of.values()))
        name = os.path.splitext(os.path.basename(a.data))[0]
        ex, ey = ([], [])
        if a.extra:
            ex, ey, _ = read(a.extra)
        for peer in peers:
            per_fold = []
            for f in folds:
                tr = [i for i, d in enumerate(docs) if fold_of[d] != f]
                te = [i for i, d in enumerate(docs) if fold_of[d] == f]
                pred, _, _ = PEERS[peer]([x[i] for i in tr] + ex, [y[i] for i in tr] + ey,
                                         [x[i] for i in te])
                per_fold.append(scores([y[i] for i in te], pred))
            mean = lambda get: sum(get(s) for s in per_fold) / len(per_fold)
            result = {
                "folds": len(folds),
                "macro_f1": mean(lambda s: s["macro_f1"]),
                "accuracy": mean(lambda s: s["accuracy"]),
                "reporting_vs_rest_f1": mean(lambda s: s["reporting_vs_rest_f1"]),
                "labels": {l: {"f1": mean(lambda s: s["labels"][l]["f1"])} for l in LABELS},
            }
            save(a.out, peer, f"{a.kind}-{name}", result)
            print(f"{peer:9s} {a.kind}-{name} macro-F1 {result['macro_f1']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
