"""The dataset loader as it was before issue 14's compact loading (commit da4c4a9), kept as the baseline of
``benchmarks/loading_benchmark.py``.

It is not used by the product: the benchmark measures :func:`decision_support.sources.load_dataset` against
:func:`load_dataset` here in the same run. Only the three modules that changed are copied (the loader, the
table reader and the reference checker); validation, the models and the YAML reader are the product's own.
"""

from .dataset_loader import load_dataset

__all__ = ["load_dataset"]
