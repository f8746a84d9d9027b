"""Cleaning a Spark DataFrame's text column of its chaff.

::

    from chaff.spark import clean_column
    df = clean_column(spark.read.json("articles.jsonl"), "text")
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Iterable, Iterator

from . import REPORTING, Model

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame


def clean_column(
    df: DataFrame,
    column: str,
    keep: Iterable[str] = (REPORTING,),
    model: Model | None = None,
    pieces: bool = False,
) -> DataFrame:
    """Returns ``df`` with each text of the string column ``column`` replaced by its
    paragraphs whose label is in ``keep`` (joined by blank lines; "" when none is kept).

    Other columns, nulls and the partitioning are left as they are. ``model`` (the
    built-in model when None) is pickled to the executors and loaded once per partition;
    its memory of repeated paragraphs starts empty in each partition. Needs pandas and
    pyarrow on the executors (Spark's ``mapInPandas``).
    """
    from pyspark.sql.types import StringType

    keep = list(keep)
    field = df.schema[column]
    if not isinstance(field.dataType, StringType):
        raise TypeError(f"column {column!r} is {field.dataType.simpleString()}, not string")
    model = model if model is not None else Model()
    # Unknown labels fail here, on the driver, rather than in every task.
    model.clean([], keep=keep)
    # The built-in model pickles by name: a few bytes, not the model.
    shipped = pickle.dumps(model)

    def clean_partition(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        part_model = pickle.loads(shipped)
        for frame in frames:
            values = frame[column].tolist()
            rows = [i for i, v in enumerate(values) if isinstance(v, str)]
            cleaned = part_model.clean([values[i] for i in rows], keep=keep, pieces=pieces)
            for i, text in zip(rows, cleaned):
                values[i] = text
            frame[column] = values
            yield frame

    return df.mapInPandas(clean_partition, schema=df.schema)
