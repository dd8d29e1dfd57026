"""The sequence models and the feature sets each runs with, by name (importing no torch, so
the workflow can plan its jobs from them)."""

MODELS = ("texcnn", "xpresso", "legnet", "deeplncloc")
"""texcnn: segment embeddings (one per embedding model, named texcnn_<embedding>); xpresso
and legnet: the one-hot window; deeplncloc: Word2Vec sub-sequence vectors."""

ONEHOT_MODELS = ("xpresso", "legnet")
"""The models that read the one-hot window (the base codes of rule cis_onehot)."""

ENCODINGS = {
    "texcnn": "embedding",
    "xpresso": "onehot",
    "legnet": "onehot",
    "deeplncloc": "word2vec",
}
"""What each model reads (recorded in its saved model's sidecar): segment embeddings of a
language model, the one-hot window, or Word2Vec sub-sequence vectors."""

FEATURE_SETS = {
    "texcnn": ("dna", "dna_mrna", "dna_mrna_tf"),
    "xpresso": ("dna", "dna_mrna"),
    "legnet": ("dna",),
    "deeplncloc": ("dna",),
}
"""The feature sets each model runs with: TExCNN's Fig. 2 (the sequence alone, with the 8
mRNA features, and with the trans side's TF features too); Xpresso with and without its mRNA
features; DeepLncLoc on the sequence alone, as published."""

LENGTH_KEYS = {
    "texcnn": "embed.segment_length",
    "xpresso": "cis.window.upstream (or sequence.upstream)",
    "legnet": "cis.window.upstream (or sequence.upstream)",
    "deeplncloc": "cis.deeplncloc.subsequences",
}
"""The config key that sets each model's input length, which rule cis_train names when a
network refuses an input too short for it (`cistrans.cismodels.networks.InputTooShort`)."""


def model_kind(name: str) -> str:
    """The model of a run name: `texcnn_<embedding>` → texcnn; xpresso; legnet; deeplncloc.

    Parameters
    ----------
    name
        A run's model name (texcnn_<embedding>, xpresso, legnet, deeplncloc).

    Returns
    -------
    str
        One of `MODELS`.

    Raises
    ------
    ValueError
        When the name is of no known model.
    """
    kind = name.split("_", 1)[0]
    if kind not in MODELS:
        raise ValueError(
            f"unknown cis model {name!r}; known: texcnn_<embedding>, xpresso, legnet, deeplncloc"
        )
    return kind
