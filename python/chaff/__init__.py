"""chaff: tells the reporting in scraped news articles from the chaff around it.

Each paragraph is tagged ``reporting``, ``donation_appeal``, ``gallery_caption`` or
``boilerplate`` by a model compiled in Rust::

    import chaff
    model = chaff.Model()                     # the built-in model
    model.clean(["Donate now to keep our journalism free.\\n\\nThe council voted..."])
    # ['The council voted...']

Adapters for data pipelines: :mod:`chaff.datatrove` (a datatrove filter) and
:mod:`chaff.spark` (clean a DataFrame column). For Hugging Face ``datasets``::

    model = chaff.Model()
    ds = ds.map(lambda batch: {"text": model.clean(batch["text"])}, batched=True)
"""

from ._chaff import ChaffError, Model

__all__ = ["ChaffError", "Model", "REPORTING"]

#: The label of the paragraphs worth keeping; ``clean`` keeps it by default.
REPORTING = "reporting"
