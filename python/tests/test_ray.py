"""The Ray Data recipe: a class-based map_batches UDF that makes its model once per worker,
run on a real local Ray (two CPUs, no dashboard)."""

import os
import sys

import pytest

ray = pytest.importorskip("ray", reason='ray is not installed (pip install "ray[data]")')
pytest.importorskip("ray.data", reason='ray is installed without Ray Data (pip install "ray[data]")')

import chaff  # noqa: E402
from texts import REPORTING, articles, as_text  # noqa: E402


class CleanBatch:
    """The recipe's UDF: one model per Ray worker (its constructor runs once per actor),
    one call to the model per batch."""

    def __init__(self, keep=("reporting",)):
        self.model = chaff.Model()
        self.keep = list(keep)
        # For the test only: which model cleaned each row.
        self.worker = f"{os.getpid()}:{id(self)}"

    def __call__(self, batch):
        batch["text"] = self.model.clean(batch["text"].tolist(), keep=self.keep)
        batch["worker"] = self.worker
        return batch


# Ray Data's own settings warn of their own deprecations.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")

# The test module is not importable in Ray's workers: ship the class by value, as it would
# be from a script's __main__.
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_map_batches_cleans_with_one_model_per_worker(local_ray):
    docs = [as_text(d) for d in articles()]
    ds = ray.data.from_items([{"n": i, "text": t} for i, t in enumerate(docs)])
    out = ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs={"keep": ["reporting"]},
        batch_size=2,
        batch_format="pandas",
        # Two workers of one CPU each; RAYON_NUM_THREADS=1 keeps each model on its own
        # core instead of every worker starting a thread per core.
        compute=ray.data.ActorPoolStrategy(size=2),
        num_cpus=1,
        runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}},
    )
    rows = sorted(out.take_all(), key=lambda r: r["n"])

    assert [r["n"] for r in rows] == list(range(len(docs)))
    for row, paragraphs in zip(rows, articles()):
        # What is kept is reporting, in page order; all chaff is gone. (Which reporting
        # paragraphs survive depends on what else a worker's model has seen, as with
        # any one Model: a paragraph repeated across articles looks like boilerplate.)
        reporting = [p for p in paragraphs if p in REPORTING]
        kept = row["text"].split("\n\n") if row["text"] else []
        assert kept == [p for p in reporting if p in kept]
        assert bool(kept) == bool(reporting)
    # Four batches, at most two models: each worker made its model once and reused it.
    assert 1 <= len({r["worker"] for r in rows}) <= 2
