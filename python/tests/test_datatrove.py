"""chaff.datatrove.ChaffCleaner in a real datatrove pipeline."""

import gzip
import json

import pytest

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import chaff  # noqa: E402
from chaff.datatrove import NOTHING_KEPT, ChaffCleaner  # noqa: E402
from texts import CHAFF, articles, as_text  # noqa: E402


def read_jsonl(folder):
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt") as f:
            rows += [json.loads(line) for line in f]
    return {row["id"]: row for row in rows}


def test_pipeline_with_two_tasks_cleans_text_and_records_removals(tmp_path):
    docs = articles()
    # Two input files, one per task: each task's worker unpickles the filter (and its
    # model, fresh) and tags its file in one batch, so a fresh Model given the same file
    # must agree exactly.
    files = {"a.jsonl": docs[:4], "b.jsonl": docs[4:]}
    (tmp_path / "in").mkdir()
    expected = {}
    for name, part in files.items():
        ids = [f"{name}-{i}" for i in range(len(part))]
        with open(tmp_path / "in" / name, "w") as f:
            for id_, paragraphs in zip(ids, part):
                f.write(json.dumps({"id": id_, "text": as_text(paragraphs), "source": name}) + "\n")
        tagged = chaff.Model().tag(part)
        for id_, paragraphs in zip(ids, tagged):
            kept = [p["text"] for p in paragraphs if p["label"] == "reporting"]
            removed = {label: 0 for label in chaff.Model().labels[1:]}
            for p in paragraphs:
                if p["label"] != "reporting":
                    removed[p["label"]] += 1
            expected[id_] = ("\n\n".join(kept), removed)

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            ChaffCleaner(keep=["reporting"], exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    out = read_jsonl(tmp_path / "out")
    dropped = read_jsonl(tmp_path / "dropped")
    assert set(out) | set(dropped) == set(expected) and not set(out) & set(dropped)
    assert "a.jsonl-3" in dropped  # the article of chaff only
    for id_, row in out.items():
        text, removed = expected[id_]
        assert row["text"] == text
        assert row["metadata"]["chaff_removed"] == removed
        assert row["metadata"]["source"] == id_.split("-")[0]  # other fields travel on
        assert not any(c in row["text"] for c in CHAFF)
    for id_, row in dropped.items():
        assert expected[id_][0] == ""
        assert row["metadata"]["filter_reason"] == NOTHING_KEPT
    assert out["b.jsonl-0"]["metadata"]["chaff_removed"]["donation_appeal"] >= 1
    assert out["b.jsonl-0"]["metadata"]["chaff_removed"]["boilerplate"] >= 1


def test_cleaner_filter_on_one_document_and_bad_labels():
    from datatrove.data import Document

    cleaner = ChaffCleaner(keep=["reporting", "gallery_caption"])
    doc = Document(text=as_text(articles()[1]), id="x")
    expected = chaff.Model().clean([doc.text], keep=["reporting", "gallery_caption"])[0]
    assert cleaner.filter(doc) is True
    assert doc.text == expected
    assert set(doc.metadata["chaff_removed"]) == {"donation_appeal", "boilerplate"}
    assert cleaner.filter(Document(text="", id="empty")) == (False, NOTHING_KEPT)
    with pytest.raises(chaff.ChaffError, match="unknown label"):
        ChaffCleaner(keep=["news"])
