"""The Hugging Face datasets recipe of chaff's package docstring."""

import pytest

datasets = pytest.importorskip("datasets")

import chaff  # noqa: E402
from texts import articles, as_text  # noqa: E402


def test_batched_map_cleans_the_text_column():
    docs = [as_text(d) for d in articles()]
    ds = datasets.Dataset.from_dict({"text": docs, "n": list(range(len(docs)))})
    model = chaff.Model()
    # The recipe: one call to the model per batch.
    out = ds.map(lambda batch: {"text": model.clean(batch["text"])}, batched=True, batch_size=64)
    assert out["text"] == chaff.Model().clean(docs)
    assert out["n"] == list(range(len(docs)))
