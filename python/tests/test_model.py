"""The Python API of chaff.Model, on the built-in model."""

import gc
import pickle
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import chaff
from texts import APPEAL, BOILERPLATE, CAPTION, CHAFF, REPORTING, articles, as_text

LABELS = ["reporting", "donation_appeal", "gallery_caption", "boilerplate"]


def test_the_contract_script_runs_unchanged(tmp_path):
    # The script, verbatim, in a fresh interpreter.
    script = textwrap.dedent(
        """
        import pickle, chaff
        m = chaff.Model()
        m.labels
        texts = ["Donate now to keep our journalism free.\\n\\nThe council voted on Monday to raise fares."]
        m.tag(texts)
        m.clean(texts)
        m.clean(texts, keep=["reporting", "gallery_caption"])
        labels, probs = m.predict(["a paragraph", "another"])
        m2 = pickle.loads(pickle.dumps(m))
        m.save("m.chaff")
        """
    )
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=True)
    assert chaff.Model(tmp_path / "m.chaff").labels == LABELS
    # And what the comments say it returns.
    m = chaff.Model()
    texts = ["Donate now to keep our journalism free.\n\nThe council voted on Monday to raise fares."]
    tagged = m.tag(texts)[0]
    assert [p["label"] for p in tagged] == ["donation_appeal", "reporting"]
    assert m.clean(texts) == ["The council voted on Monday to raise fares."]


def test_labels_and_tag_output_shape():
    m = chaff.Model()
    assert m.labels == LABELS
    tagged = m.tag([as_text([APPEAL, REPORTING[0]])])
    assert len(tagged) == 1
    first, second = tagged[0]
    assert set(first) == {"position", "text", "label", "confidence", "probabilities"}
    assert (first["position"], first["text"], first["label"]) == (0, APPEAL, "donation_appeal")
    assert first["confidence"] > 0.9
    assert second["position"] == 1 and second["text"] == REPORTING[0]
    for p in tagged[0]:
        assert p["label"] in LABELS
        assert sum(p["probabilities"]) == pytest.approx(1, abs=1e-4)
        assert p["confidence"] == max(p["probabilities"])


def test_tag_accepts_text_and_paragraph_lists_alike():
    docs = articles()
    as_lists = chaff.Model().tag(docs)
    as_texts = chaff.Model().tag([as_text(d) for d in docs])
    assert as_lists == as_texts
    assert [[p["text"] for p in a] for a in as_lists] == docs
    # One paragraph per line when the text has no blank line.
    assert [p["text"] for p in chaff.Model().tag(["\n".join(docs[0])])[0]] == docs[0]


def test_tag_ids_and_pieces():
    tagged = chaff.Model().tag(articles()[:2], ids=["a", "b"], pieces=True)
    assert [{p["id"] for p in a} for a in tagged] == [{"a"}, {"b"}]
    glued = chaff.Model().tag([[REPORTING[1] + " " + APPEAL]], pieces=True)[0][0]
    for piece in glued.get("pieces", []):
        assert glued["text"][piece["start"] : piece["end"]] == piece["text"]
    with pytest.raises(ValueError, match="1 ids for 2 articles"):
        chaff.Model().tag(articles()[:2], ids=["a"])


def test_clean_keeps_exactly_the_paragraphs_tagged_with_kept_labels():
    docs = articles()
    tagged = chaff.Model().tag(docs)
    for keep in (["reporting"], ["reporting", "gallery_caption"], [], LABELS):
        expected = [
            "\n\n".join(p["text"] for p in a if p["label"] in keep) for a in tagged
        ]
        # A fresh model, so repetition counts match those of the tag call above.
        assert chaff.Model().clean(docs, keep=keep) == expected
    cleaned = chaff.Model().clean(docs)
    assert cleaned == chaff.Model().clean(docs, keep=["reporting"])
    assert cleaned[3] == ""  # chaff only
    for text in cleaned:
        assert not any(c in text for c in CHAFF)
    assert sum(bool(t) for t in cleaned) >= 5


def test_repetition_counts_carry_across_calls():
    # A line shared by otherwise different articles, as a template is. The last article
    # tagged after five earlier calls must read as it does when all six are tagged in one
    # call (the model kept its counts between calls), and not as a fresh model reads it.
    # Four paragraphs: shorter articles are read without the context stage, which is what
    # weighs repetition.
    shared = "The council meets again on Thursday evening at the town hall."
    n = len(REPORTING)
    feed = [[REPORTING[k % n], shared, REPORTING[(k + 1) % n], REPORTING[(k + 2) % n]] for k in range(6)]
    m = chaff.Model()
    for article in feed[:-1]:
        m.tag([article])
    after_history = m.tag([feed[-1]])
    assert after_history == chaff.Model().tag(feed)[-1:]
    fresh = chaff.Model().tag([feed[-1]])
    assert after_history[0][1]["probabilities"] != fresh[0][1]["probabilities"]


def test_predict_scores_each_paragraph_alone():
    m = chaff.Model()
    texts = [APPEAL, CAPTION, BOILERPLATE, REPORTING[2]]
    labels, probs = m.predict(texts)
    assert isinstance(probs, np.ndarray)
    assert probs.shape == (4, 4) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-4)
    assert labels == [LABELS[i] for i in probs.argmax(axis=1)]
    assert labels[:3] == ["donation_appeal", "gallery_caption", "boilerplate"]
    # Alone means alone: neither order nor earlier calls change a paragraph's scores.
    _, again = m.predict(texts[::-1])
    np.testing.assert_array_equal(again[::-1], probs)
    assert m.predict([])[1].shape == (0, 4)


def test_errors_are_python_exceptions_with_chaffs_message(tmp_path):
    missing = tmp_path / "missing.chaff"
    with pytest.raises(OSError, match="missing.chaff"):
        chaff.Model(missing)
    bad = tmp_path / "bad.chaff"
    bad.write_bytes(b"this is not a model")
    with pytest.raises(chaff.ChaffError, match="bad.chaff.*not a chaff model"):
        chaff.Model(str(bad))
    assert issubclass(chaff.ChaffError, ValueError)
    with pytest.raises(chaff.ChaffError, match="unknown label \"news\""):
        chaff.Model().clean(["text"], keep=["news"])
    with pytest.raises(TypeError, match="wrap it in a list"):
        chaff.Model().tag("one article, not a list")
    with pytest.raises(TypeError, match="article 1"):
        chaff.Model().clean(["fine", 42])
    with pytest.raises(OSError):
        chaff.Model().save(tmp_path / "no-such-dir" / "m.chaff")


@pytest.mark.parametrize("from_file", [False, True])
def test_pickling_round_trip_gives_identical_results(tmp_path, from_file):
    docs = articles()
    if from_file:
        path = tmp_path / "m.chaff"
        chaff.Model().save(path)
        original = chaff.Model(path)
        blob = pickle.dumps(original)
        path.unlink()  # the pickle carries the model itself, not its path
    else:
        original = chaff.Model()
        blob = pickle.dumps(original)
        assert len(blob) < 100  # the built-in model travels by name
    copy = pickle.loads(blob)
    assert copy.labels == original.labels
    assert copy.tag(docs) == original.tag(docs)
    assert pickle.loads(blob).clean(docs) == chaff.Model().clean(docs)
    np.testing.assert_array_equal(copy.predict(REPORTING)[1], original.predict(REPORTING)[1])
    assert chaff.Model.from_bytes(original.to_bytes()).tag(docs) == chaff.Model().tag(docs)


@pytest.mark.parametrize("from_file", [False, True])
def test_a_prior_shift_is_kept_through_pickling_and_moves_the_rarer_labels(tmp_path, from_file):
    path = None
    if from_file:
        path = tmp_path / "m.chaff"
        chaff.Model().save(path)
    default, none, strong = (chaff.Model(path, prior_shift=s) for s in (None, 0.0, 1.5))
    assert default.prior_shift == 0.25 and none.prior_shift == 0.0
    copy = pickle.loads(pickle.dumps(strong))
    assert copy.prior_shift == 1.5
    texts = [CAPTION, REPORTING[0]]
    np.testing.assert_array_equal(copy.predict(texts)[1], strong.predict(texts)[1])
    # The rarest training label (appeals) gains against the commonest (boilerplate).
    a, b = LABELS.index("donation_appeal"), LABELS.index("boilerplate")
    p0, p1 = none.predict(texts)[1], strong.predict(texts)[1]
    assert (p1[:, a] / p1[:, b] > p0[:, a] / p0[:, b]).all()
    for bad in (-1.0, 3.0):
        with pytest.raises(chaff.ChaffError, match="prior shift must be between 0 and 2"):
            chaff.Model(path, prior_shift=bad)


def test_threads_can_share_a_model():
    m = chaff.Model()
    docs = articles() * 20
    out = {}

    def run(i):
        out[i] = m.clean(docs)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(out) == [0, 1, 2]
    assert all(len(v) == len(docs) for v in out.values())


def test_tag_leaves_the_garbage_collector_as_it_found_it():
    # tag holds the collector off while it builds its dicts, and only then.
    m = chaff.Model()
    texts = [articles()[0], as_text(articles()[1])]
    assert gc.isenabled()
    m.tag(texts, pieces=True)
    assert gc.isenabled()
    gc.disable()
    try:
        m.tag(texts)
        assert not gc.isenabled()
    finally:
        gc.enable()
