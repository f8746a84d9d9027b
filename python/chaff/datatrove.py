"""A datatrove filter that cleans documents of their chaff.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from chaff.datatrove import ChaffCleaner

    LocalPipelineExecutor(
        pipeline=[JsonlReader("in/"), ChaffCleaner(), JsonlWriter("out/")],
        tasks=4,
    ).run()
"""

from __future__ import annotations

from typing import Any, Iterable

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from . import REPORTING, Model

#: The reason given to datatrove (and the exclusion writer) for a dropped document.
NOTHING_KEPT = "chaff_nothing_kept"


class ChaffCleaner(BaseFilter):
    """Replaces each document's text by its paragraphs whose label is in ``keep``.

    Paragraphs are cut at blank lines (one per line when a text has no blank line) and
    joined back with blank lines. ``doc.metadata["chaff_removed"]`` counts the paragraphs
    removed under each label that is not kept (pieces, with ``pieces=True``, for a
    paragraph cut into pieces). A document left with nothing is dropped with the reason
    ``"chaff_nothing_kept"``, and goes to ``exclusion_writer`` when one is given.

    Args:
        keep: the labels to keep (default: reporting only).
        model: a :class:`chaff.Model`; the built-in model when None. It is pickled to
            each worker, which then starts with no memory of repeated paragraphs.
        pieces: also cut paragraphs glued together from parts with different labels.
        batch_size: documents tagged per call to the model (tagging is parallel within
            a batch, and repetition is counted across the documents a task sees).
        exclusion_writer: a datatrove writer for the dropped documents.
    """

    name = "🧹 chaff"

    def __init__(
        self,
        keep: Iterable[str] = (REPORTING,),
        model: Model | None = None,
        pieces: bool = False,
        batch_size: int = 256,
        exclusion_writer: DiskWriter | None = None,
    ):
        super().__init__(exclusion_writer, batch_size)
        self.keep = list(keep)
        self.pieces = pieces
        # The built-in model pickles by name, so shipping it to workers costs nothing.
        self.model = model if model is not None else Model()
        # Unknown labels fail here, on the driver, rather than in every worker.
        self.model.clean([], keep=self.keep)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        tagged = self.model.tag([doc.text for doc in batch], pieces=self.pieces)
        removable = [label for label in self.model.labels if label not in self.keep]
        results: list[bool | tuple[bool, str]] = []
        for doc, paragraphs in zip(batch, tagged):
            kept: list[str] = []
            removed = dict.fromkeys(removable, 0)
            for p in paragraphs:
                # A paragraph cut into pieces keeps its kept pieces, joined by a space,
                # as chaff.Model.clean does.
                parts: list[Any] = p.get("pieces") or [p]
                texts = [part["text"] for part in parts if part["label"] in self.keep]
                for part in parts:
                    if part["label"] not in self.keep:
                        removed[part["label"]] += 1
                        self.stat_update(f"chaff_removed_{part['label']}")
                if texts:
                    kept.append(" ".join(texts))
            doc.metadata["chaff_removed"] = removed
            if kept:
                doc.text = "\n\n".join(kept)
                results.append(True)
            else:
                results.append((False, NOTHING_KEPT))
        return results
