"""chaff.spark.clean_column on a local Spark session."""

import os
import shutil
import sys

import pytest

pytest.importorskip("pyspark")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs Java, and none is installed", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.types import IntegerType, StringType, StructField, StructType  # noqa: E402

import chaff  # noqa: E402
from chaff.spark import clean_column  # noqa: E402
from texts import CHAFF, articles, as_text  # noqa: E402

SCHEMA = StructType(
    [
        StructField("id", IntegerType()),
        StructField("text", StringType()),
        StructField("source", StringType()),
    ]
)


@pytest.fixture(scope="module")
def spark():
    # Executors must run this interpreter, where chaff is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("chaff-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "3")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_clean_column_over_three_partitions(spark):
    docs = articles() + [None]
    rows = [(i, None if d is None else as_text(d), f"site{i % 3}") for i, d in enumerate(docs)]
    df = spark.createDataFrame(spark.sparkContext.parallelize(rows, 3), SCHEMA)
    assert df.rdd.getNumPartitions() == 3
    partitions = df.rdd.glom().collect()
    assert all(partitions)  # every partition holds rows

    cleaned = clean_column(df, "text")
    assert cleaned.schema == df.schema
    assert cleaned.rdd.getNumPartitions() == 3
    out = {row.id: row for row in cleaned.collect()}

    # Each partition loads its own fresh model and cleans its rows in one batch, so a
    # fresh Model given the same rows must agree exactly.
    expected = {}
    for part in partitions:
        texts = [r.text for r in part if r.text is not None]
        expected.update(zip([r.id for r in part if r.text is not None], chaff.Model().clean(texts)))
    assert sorted(out) == list(range(len(docs)))
    for i, row in out.items():
        assert row.source == f"site{i % 3}"  # other columns untouched
        if docs[i] is None:
            assert row.text is None  # nulls stay null
        else:
            assert row.text == expected[i]
            assert not any(c in row.text for c in CHAFF)
    assert out[3].text == ""  # the article of chaff only


def test_clean_column_checks_its_arguments(spark):
    df = spark.createDataFrame([(1, "x", "s")], SCHEMA)
    with pytest.raises(TypeError, match="not string"):
        clean_column(df, "id")
    with pytest.raises(chaff.ChaffError, match="unknown label"):
        clean_column(df, "text", keep=["news"])
    kept = clean_column(df, "text", keep=chaff.Model().labels).collect()
    assert kept[0].text == "x"
