#!/usr/bin/env python3
"""Builds README.md's accuracy tables from the JSON reports benches/accuracy writes, and
puts them between the README's generated-block markers (the same markers chaff's
`--into` uses). Usage: tables.py RESULTS_DIR README.md"""
import datetime, glob, json, os, platform, sys

LABELS = ["reporting", "donation_appeal", "gallery_caption", "boilerplate"]
SHORT = {"reporting": "reporting", "donation_appeal": "appeal", "gallery_caption": "caption",
         "boilerplate": "boilerplate"}
SYSTEMS = [
    ("chaff", "**chaff** (default model)"),
    ("chaff-split", "chaff + pieces of glued paragraphs (`--pieces`)"),
    ("chaff-no-repetition", "chaff without repetition"),
    ("chaff-no-neighbours", "chaff without neighbour features"),
    ("chaff-text-only", "chaff text stage only, each paragraph alone"),
    ("fasttext", "fastText (bigrams, 25 epochs)"),
    ("tfidf-lr", "TF-IDF 1-2 grams + logistic regression"),
    ("char-svm", "char 2-5 grams + linear SVM"),
]
SETS = [
    ("test", "data/test.csv (23 held-out invented publishers)"),
    ("newsroom-dev", "newsroom-dev.csv (real pages, 91 sites)"),
    ("challenge", "challenge.csv (real appeals, captions and body copy)"),
]


def load(directory, system, set_name):
    path = os.path.join(directory, f"{system}--{set_name}.json")
    if not os.path.exists(path):
        return None
    j = json.load(open(path))
    f1 = lambda l: (j["labels"][l]["f1"] if isinstance(j["labels"], dict)
                    else j["f1"][j["labels"].index(l)]["mean"])
    if "macro_f1" in j and isinstance(j["macro_f1"], dict):  # chaff cv
        return {"macro": j["macro_f1"]["mean"], "rvr": j["reporting_vs_rest_f1"]["mean"],
                "f1": {l: j["f1"][j["labels"].index(l)]["mean"] for l in LABELS}}
    return {"macro": j["macro_f1"], "rvr": j.get("reporting_vs_rest_f1") or 0.0,
            "f1": {l: j["labels"][l]["f1"] for l in LABELS}}


def table(directory, set_name):
    rows = []
    for system, name in SYSTEMS:
        s = load(directory, system, set_name)
        if s is None:
            continue
        cells = [f"{s['macro']:.3f}"] + [f"{s['f1'][l]:.3f}" for l in LABELS] + [f"{s['rvr']:.3f}"]
        if system == "chaff":
            cells = [f"**{c}**" for c in cells]
        if set_name.startswith("cv"):
            name = name.replace("(default model)", "(default settings)")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    if not rows:
        return None
    head = ("| system | macro-F1 | " + " | ".join(SHORT[l] for l in LABELS) +
            " | reporting vs rest |\n|---|" + "---:|" * 6)
    return head + "\n" + "\n".join(rows)


def replace_block(text, name, content):
    begin = f"<!-- BEGIN {name} (generated: do not edit by hand) -->"
    end = f"<!-- END {name} -->"
    if begin not in text or end not in text:
        sys.exit(f"README has no block {name!r}: add the lines\n{begin}\n{end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{content.strip()}\n{end}{tail}"


def main():
    directory, readme = sys.argv[1], sys.argv[2]
    stamp = (f"Measured {datetime.date.today().isoformat()} by `benches/accuracy` on "
             f"{platform.machine()} Linux, {os.cpu_count()} cores.")
    parts = [stamp, "",
             "F1 per label; every system trained on `data/train.csv` only (the project's own "
             "invented corpus), then scored on sets it never saw."]
    for set_name, title in SETS:
        t = table(directory, set_name)
        if t:
            parts += ["", f"**{title}**", "", t]
    text = open(readme).read()
    text = replace_block(text, "accuracy", "\n".join(parts))
    protocols = [
        ("cv", "5 folds grouped by site, the default "
               "(`chaff cv ../shared/bench/newsroom-dev.csv --group-by site`)"),
        ("cv2", "2 folds grouped by site (`--folds 2`), as in the peer figures of issue 5"),
        ("cv-with", "5 folds grouped by site, every fold also trained on data/train.csv "
                    "(`--with data/train.csv`; the peers get the same rows)"),
    ]
    cv_parts = []
    for kind, title in protocols:
        t = table(directory, f"{kind}-newsroom-dev")
        if t:
            cv_parts += ["", f"**{title}**", "", t]
    if cv_parts:
        cv_parts = [stamp, "",
                    "Trained and scored inside `newsroom-dev.csv`: every system on the very same "
                    "folds (from `chaff cv --folds-out`), mean over folds."] + cv_parts
        text = replace_block(text, "cross-validation", "\n".join(cv_parts))
    transfer = os.path.join(directory, "transfer")
    x_parts = []
    for set_name, title in [("challenge", "challenge.csv (real pages of other publishers)"),
                            ("test", "data/test.csv (invented publishers)")]:
        t = table(transfer, set_name)
        if t:
            x_parts += ["", f"**{title}**", "", t.replace("(default model)", "(default settings)")]
    if x_parts:
        x_parts = [stamp, "",
                   "Every system trained on `newsroom-dev.csv` alone (real pages of 91 sites; "
                   "chaff with `--context-group-by site`), then scored on sets none of those "
                   "sites is in."] + x_parts
        text = replace_block(text, "transfer", "\n".join(x_parts))
    prior = prior_table(os.path.join(directory, "prior"))
    if prior:
        text = replace_block(text, "priors", stamp + "\n\n" + prior)
    open(readme, "w").write(text)


def prior_table(directory):
    """Macro-F1 (caption F1) at each prior shift, per model and set scored."""
    columns = [("default", "newsroom-dev", "default model → newsroom-dev"),
               ("default", "challenge", "default model → challenge"),
               ("default", "test", "default model → data/test (same corpus)"),
               ("newsroom-dev", "challenge", "newsroom-dev model → challenge"),
               ("newsroom-dev", "test", "newsroom-dev model → data/test")]
    shifts = sorted({os.path.basename(p).split("--")[0].rsplit("-", 1)[1]
                     for p in glob.glob(os.path.join(directory, "*.json"))}, key=float)
    if not shifts:
        return None
    head = ("| prior shift | " + " | ".join(c[2] for c in columns) + " |\n|---:|" +
            "---:|" * len(columns))
    rows = []
    for shift in shifts:
        cells = []
        for model, set_name, _ in columns:
            s = load(directory, f"{model}-{shift}", set_name)
            cells.append("" if s is None else
                         f"{s['macro']:.3f} ({s['f1']['gallery_caption']:.3f})")
        rows.append(f"| {shift} | " + " | ".join(cells) + " |")
    return ("Macro-F1 (caption F1 in brackets) with `--prior-shift S`: each label's "
            "probability times its training frequency to the power -S, renormalised.\n\n" +
            head + "\n" + "\n".join(rows))


if __name__ == "__main__":
    main()
