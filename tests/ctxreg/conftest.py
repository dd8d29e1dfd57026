"""Contextual regression trains small networks on one thread, as its training jobs do."""

from tests.cismodels.conftest import one_torch_thread  # noqa: F401  (autouse fixture)
