"""The compendium as model inputs (TFs) and outputs (all other genes), split by `obs.split`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cistrans.errors import InputError
from cistrans.expression.splits import empty_split_fix
from cistrans.io.files import rerun_rule
from cistrans.io.h5ad import read_h5ad

SPLITS = ("train", "validation", "test")


@dataclass
class TransData:
    """inputs: (samples, TFs) float32; outputs: (samples, targets) float32; both one copy
    of the compendium's values. split: (samples,) train | validation | test."""

    inputs: np.ndarray
    outputs: np.ndarray
    tf_ids: list[str]
    tf_symbols: list[str]
    target_ids: list[str]
    target_symbols: list[str]
    split: np.ndarray
    tissue: np.ndarray

    def rows(self, split: str) -> np.ndarray:
        """The positions of the samples of one split.

        Parameters
        ----------
        split
            train, validation or test.

        Returns
        -------
        np.ndarray
            (samples of the split,) int64 row positions, ascending.
        """
        return np.flatnonzero(self.split == split)


def load_trans_data(path: str | Path, tfs: list[str] | None = None) -> TransData:
    """Read the compendium for the trans network.

    Parameters
    ----------
    path
        The compendium (.h5ad).
    tfs
        The TF IDs to take as inputs, in that order; None: all of its TFs.

    Returns
    -------
    TransData
        inputs (samples, TFs) and outputs (samples, targets) float32, the IDs and symbols,
        split (samples,) and tissue (samples,).
    """
    adata = read_h5ad(path, rerun_rule("expression_compendium"))
    is_tf = adata.var.is_tf.to_numpy(dtype=bool)
    if not is_tf.any():
        raise InputError(
            path,
            "no gene is marked as a TF: the TF list shares no genes with the compendium",
            "check that the TF list uses the compendium's Ensembl IDs or symbols",
        )
    if tfs is not None:
        missing = sorted(set(tfs) - set(adata.var_names[is_tf]))
        if missing:
            raise InputError(
                path,
                f"{len(missing)} requested TF(s) not in the compendium (e.g. {missing[:3]})",
                "use a model trained on this compendium",
            )
        tf_index = adata.var_names.get_indexer(tfs)
    else:
        tf_index = np.flatnonzero(is_tf)
    target_index = np.flatnonzero(~is_tf)
    matrix = np.asarray(adata.X, dtype=np.float32)
    for split in SPLITS:
        if not (adata.obs.split == split).any():
            raise InputError(
                path,
                f"no sample in split {split!r} (obs column split)",
                f"{empty_split_fix(split)}, and rebuild the compendium",
            )
    return TransData(
        inputs=matrix[:, tf_index],
        outputs=matrix[:, target_index],
        tf_ids=list(adata.var_names[tf_index]),
        tf_symbols=list(adata.var.symbol.iloc[tf_index]),
        target_ids=list(adata.var_names[target_index]),
        target_symbols=list(adata.var.symbol.iloc[target_index]),
        split=adata.obs.split.to_numpy(dtype=str),
        tissue=adata.obs.tissue.to_numpy(dtype=str),
    )
