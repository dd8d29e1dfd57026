"""Which TF a JASPAR motif belongs to: the one of its name."""

from __future__ import annotations

from collections.abc import Sequence

from cistrans.io.motifs import Motif


def motif_tf_parts(
    motifs: Sequence[Motif], tf_symbols: Sequence[str]
) -> list[tuple[int, list[int]]]:
    """For each motif named after TFs of `tf_symbols`: its position in `motifs` and the
    positions of its TFs in `tf_symbols`. Names compare case-insensitively (JASPAR names
    mouse and rat motifs in lower case, e.g. "Prox1"); a dimer "A::B" belongs to each of
    its parts that is a TF. Motifs of no TF are left out.

    Parameters
    ----------
    motifs
        The motifs (their names read).
    tf_symbols
        (TFs,) the TFs' symbols.

    Returns
    -------
    list of tuple
        One (position in `motifs`, positions in `tf_symbols`) per motif named after TFs,
        in the order of `motifs`.
    """
    position = {symbol.upper(): i for i, symbol in enumerate(tf_symbols)}
    parts = [
        (row, [position[part] for part in motif.name.upper().split("::") if part in position])
        for row, motif in enumerate(motifs)
    ]
    return [(row, tfs) for row, tfs in parts if tfs]
