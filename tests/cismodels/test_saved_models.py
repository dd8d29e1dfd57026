"""Saved models: every trained model's weights with a sidecar, one `load_model` that
rebuilds it, predictions in label units identical to training's, new sequences read as the
training windows were (cropped, padded or refused), and variant tables scored as the
difference of their alternative and reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from cistrans.cismodels.data import CisGenes
from cistrans.cismodels.networks import InputShape
from cistrans.cismodels.predict import read_new_sequences, score_sequences
from cistrans.cismodels.runs import fit_run
from cistrans.cismodels.saved import ModelRecord, SequenceModel, save_model, sidecar_path
from cistrans.cismodels.sources import ArraySource
from cistrans.config import ConfigError, load_schema, validate_config
from cistrans.ctxreg.fit import fit_ctxreg
from cistrans.ctxreg.jaspar_mode import fit_jaspar_mode
from cistrans.dna import encode_bases
from cistrans.errors import InputError
from cistrans.io.motifs import Motif
from cistrans.models import load_model, rebuild_network
from cistrans.trans.model import Architecture, TransModel, build_network
from tests.cismodels.test_sequence_models import genes_of
from tests.conftest import REPO

LENGTH = 40
TRAINING = {"optimiser": "adam", "learning_rate": 0.003, "batch_size": 32, "max_epochs": 2,
            "patience": 2}  # fmt: skip
SETTINGS: dict[str, dict[str, Any]] = {
    "xpresso": {"filters": [8], "kernel_sizes": [5], "pools": [0], "dense": [], "dropout": 0.0},
    "legnet": {"stem_channels": 8, "stem_kernel_size": 5, "block_sizes": [8], "kernel_size": 3,
               "pools": [2], "resize_factor": 2, "dropout": 0.0},
    "ctxreg": {"filters": 4, "width": 5, "site_threshold": 0.8, "l1": 1e-4,
               "filter_init_sd": 0.02, "context": {"pool": 4, "channels": [4], "kernel_size": 3,
                                                   "dense": [8], "dropout": 0.0}},
}  # fmt: skip
# The demo's windows: -7,000...+3,500 around the TSS, the models reading -650...+100.
GENOME = {"source": "genome", "upstream": 7000, "downstream": 3500,
          "crop": {"window_upstream": 7000, "length": 10500, "upstream": 650,
                   "downstream": 100, "key": "cis.window"}}  # fmt: skip


def library(n: int = 120, length: int = LENGTH) -> tuple[list[str], ArraySource, CisGenes]:
    """Random sequences whose label (mean ~10, sd ~2) counts their GG."""
    rng = np.random.default_rng(1)
    sequences = ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]
    labels = 10 + np.array([s.count("GG") for s in sequences], dtype=float)
    ids = [f"g{i}" for i in range(n)]
    source = ArraySource([encode_bases(sequences)], [ids], ["codes.npy"], onehot=True)
    return sequences, source, genes_of(labels)


def trained(kind: str, tmp_path: Path, window: dict[str, Any] | None = None) -> tuple:
    """A tiny `kind` trained on `library`, saved under tmp_path; its run and the paths."""
    sequences, source, genes = library()
    settings = {**SETTINGS[kind], "training": TRAINING}
    if kind == "ctxreg":
        run = fit_ctxreg(
            source,
            genes,
            settings=settings,
            seed=0,
            control=False,
            label_names=["y"],
            window=window,
        )
    else:
        run = fit_run(kind, kind, source, genes, feature_set="dna", tf=None, settings=settings,
                      seed=0, control=False, label_names=["y"], window=window)  # fmt: skip
    weights = tmp_path / kind / "model.pt"
    weights.parent.mkdir()
    save_model(run.network, run.record, weights, sidecar_path(weights))
    return sequences, genes, run, weights


@pytest.mark.parametrize("kind", ["xpresso", "legnet", "ctxreg"])
def test_a_saved_one_hot_model_reloads_to_the_same_predictions_in_label_units(
    kind: str, tmp_path: Path
) -> None:
    sequences, genes, run, weights = trained(kind, tmp_path, {"source": "table"})
    meta = json.loads(sidecar_path(weights).read_text())
    assert meta["kind"] == kind and meta["input"]["length"] == LENGTH
    assert meta["labels"]["names"] == ["y"] and set(meta["versions"]) >= {"torch", "cistrans"}
    train = genes.labels[genes.split == "train"]
    assert meta["labels"]["mean"][0] == pytest.approx(train.mean())
    assert meta["labels"]["sd"][0] == pytest.approx(train.std())
    model = load_model(weights)
    assert isinstance(model, SequenceModel) and model.labels == ["y"]
    predicted = model.predict(sequences)
    assert predicted.shape == (len(sequences), 1)
    # label units: the training run's own predictions, to float precision
    np.testing.assert_allclose(predicted[:, 0], run.predictions.predicted, rtol=1e-5, atol=1e-5)
    onehot = torch.nn.functional.one_hot(torch.as_tensor(encode_bases(sequences[:5])).long(), 5)
    arrays = onehot[..., :4].transpose(1, 2).numpy().astype(np.float32)
    np.testing.assert_allclose(model.predict(arrays), predicted[:5], rtol=1e-5, atol=1e-6)
    assert load_model(sidecar_path(weights)).record.seed == 0  # the sidecar names it too
    assert load_model(weights.parent).record.kind == kind  # and so does its folder


def test_a_model_with_per_gene_features_standardises_them_as_training_did(
    tmp_path: Path,
) -> None:
    """TExCNN on embeddings with mRNA features: the reloaded model reads arrays, not raw
    sequences, and needs the features, raw, beside them."""
    rng = np.random.default_rng(2)
    n = 100
    embeddings = rng.normal(size=(n, 6, 4)).astype(np.float16)
    mrna = rng.normal(5, 3, size=(n, 2)).astype(np.float32)
    labels = embeddings[:, 0, 0].astype(float) + mrna[:, 1] + 3
    source = ArraySource([embeddings], [[f"g{i}" for i in range(n)]], ["e.npy"])
    settings = {"channels": [4], "kernel_size": 3, "pool": 2, "dense": [4], "dropout": 0.0,
                "training": TRAINING}  # fmt: skip
    run = fit_run(
        "texcnn",
        "texcnn_x",
        source,
        genes_of(labels, mrna),
        feature_set="dna_mrna",
        tf=None,
        settings=settings,
        seed=0,
        control=False,
    )
    weights = tmp_path / "model.pt"
    save_model(run.network, run.record, weights, tmp_path / "model.json")
    model = load_model(weights)
    assert isinstance(model, SequenceModel) and not model.reads_sequences
    assert model.record.extra_names == ["m0", "m1"]
    inputs = source.batch(source.gene_ids).numpy()
    predicted = model.predict(inputs, extra=mrna)[:, 0]
    np.testing.assert_allclose(predicted, run.predictions.predicted, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="pass extra of shape"):
        model.predict(inputs)
    with pytest.raises(InputError, match="reads embedding inputs"):
        model.predict(["ACGT"])


def test_the_jaspar_mode_and_a_trans_network_load_through_the_same_entry_point(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(3)
    regions = rng.poisson(0.5, size=(90, 4, 3)).astype(np.float32)  # genes, regions, motifs
    labels = regions[:, :, 0].sum(axis=1) + rng.normal(0, 0.1, 90)
    genes = genes_of(labels)
    motifs = [Motif(f"MA000{k}.1", f"TF{k}", np.full((5, 4), 0.25)) for k in range(3)]
    settings = {"l1": 1e-4, "training": TRAINING,
                "context": {"pool": 2, "channels": [4], "kernel_size": 3, "dense": [8],
                            "dropout": 0.0}}  # fmt: skip
    run = fit_jaspar_mode(regions, genes, motifs, settings=settings, seed=0, control=False)
    save_model(run.network, run.record, tmp_path / "model.pt", tmp_path / "model.json")
    model = load_model(tmp_path / "model.pt")
    assert model.record.channel_names == ["MA0000.1", "MA0001.1", "MA0002.1"]
    inputs = regions.transpose(0, 2, 1)  # the network's layout: (genes, motifs, regions)
    np.testing.assert_allclose(model.predict(inputs)[:, 0], run.predictions.predicted,
                               rtol=1e-5, atol=1e-5)  # fmt: skip
    arch = Architecture(3, 2, [4])
    trans = TransModel(build_network(arch), arch, ["a", "b", "c"], ["A", "B", "C"], ["x", "y"],
                       ["X", "Y"], np.zeros(3, np.float32), np.ones(3, np.float32),
                       np.full(2, 5, np.float32), np.ones(2, np.float32))  # fmt: skip
    (tmp_path / "trans").mkdir()
    trans.save(tmp_path / "trans" / "model.pt", tmp_path / "trans" / "model.json")
    loaded = load_model(tmp_path / "trans" / "model.pt")
    assert isinstance(loaded, TransModel) and loaded.target_ids == ["x", "y"]
    inputs = rng.normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded.predict(inputs), trans.predict(inputs), rtol=1e-6)


def test_a_bare_state_dict_says_how_to_get_its_sidecar(tmp_path: Path) -> None:
    torch.save({}, tmp_path / "model.pt")
    with pytest.raises(InputError, match="no sidecar model.json beside it.*forcerun cis_train"):
        load_model(tmp_path / "model.pt")


def test_an_older_sidecar_with_a_length_key_still_loads(tmp_path: Path) -> None:
    record = model_of("xpresso", LENGTH, None).record
    meta = record.to_json()
    assert "length_key" not in meta["input"]
    meta["input"]["length_key"] = "cis.window.upstream (or sequence.upstream)"  # written before
    loaded = ModelRecord.from_json(meta, tmp_path / "model.json")
    assert loaded.shape == InputShape(4, LENGTH, 0, 1) == record.shape


def model_of(kind: str, length: int, window: dict[str, Any] | None) -> SequenceModel:
    """An untrained one-hot network of `length` with a record of labels mean 2, sd 3."""
    shape = InputShape(4, length, 0, 1)
    record = ModelRecord(kind, kind, SETTINGS[kind], shape, "onehot", ["label"], [2.0], [3.0],
                         0, False, window=window)  # fmt: skip
    torch.manual_seed(0)
    return SequenceModel(rebuild_network(record).eval(), record)


def test_new_sequences_are_cut_as_the_training_windows_were() -> None:
    rng = np.random.default_rng(4)
    genome = model_of("xpresso", 750, GENOME)
    whole = "".join(rng.choice(list("ACGT"), 10_500))
    window = whole[7000 - 650 : 7000 + 100]
    # the whole window is cropped to -650...+100, as rule cis_onehot crops it
    np.testing.assert_array_equal(genome.encode([whole]), genome.encode([window]))
    with pytest.raises(InputError, match=r"749 bases, where the model reads the 750-base "
                       r"window -650…\+100 around a TSS.*Fix: give each sequence as exactly "
                       r"that window, or the whole -7,000…\+3,500 window"):  # fmt: skip
        genome.encode([window[:-1]], source="mine.tsv", where=["line 2, column sequence"])
    table = model_of("xpresso", 30, {"source": "table"})
    padded = table.encode(["ACGTAC"])
    assert padded.shape == (1, 30) and (padded[0, 6:] == 4).all()  # N after a shorter one
    with pytest.raises(InputError, match="31 bases, longer than the 30 the model reads"):
        table.encode(["A" * 31])
    with pytest.raises(InputError, match=r"\(sequence 2\): the sequence has letters other "
                       r"than A, C, G, T, N: RX"):  # fmt: skip
        table.encode(["ACGT", "acgRX"])


def test_a_variant_table_is_scored_as_alternative_minus_reference(tmp_path: Path) -> None:
    model = model_of("legnet", 30, {"source": "table"})
    rng = np.random.default_rng(5)
    references = ["".join(rng.choice(list("ACGT"), 30)) for _ in range(6)]
    alternatives = [r[:10] + ("A" if r[10] != "A" else "C") + r[11:] for r in references]
    path = tmp_path / "variants.tsv"
    pairs = zip(references, alternatives, strict=True)
    rows = [f"v{i}\t{r}\t{a}" for i, (r, a) in enumerate(pairs)]
    path.write_text("id\tsequence\talternative\n" + "\n".join(rows) + "\n")
    scores = score_sequences(model, read_new_sequences(path))
    assert list(scores.columns) == ["id", "reference", "alternative", "difference"]
    np.testing.assert_allclose(scores.reference, model.predict(references)[:, 0])
    np.testing.assert_allclose(scores.alternative, model.predict(alternatives)[:, 0])
    np.testing.assert_allclose(scores.difference, scores.alternative - scores.reference)
    plain = tmp_path / "plain.csv"
    plain.write_text("id,sequence\n" + "\n".join(f"s{i},{r}" for i, r in enumerate(references)))
    scored = score_sequences(model, read_new_sequences(plain))
    assert list(scored.columns) == ["id", "predicted"]
    np.testing.assert_allclose(scored.predicted, scores.reference)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name\tsequence\nx\tACGT\n", r"bad.tsv \(line 1\): missing column\(s\) id; found name"),
        ("id\tsequence\nx\tACGT\ny\tACGU\n", r"bad.tsv \(line 3, column sequence\): the "
         r"sequence has letters other than A, C, G, T, N: U"),
        ("id\tsequence\talternative\nx\tACGT\t\n", r"\(line 2, column alternative\): the "
         r"sequence is empty"),
        ("id\tsequence\nx\tACGT\nx\tACGA\n", r"\(line 3\): id 'x' repeats line 2"),
        ("id\tsequence\nx\t" + "A" * 31 + "\n", r"\(line 2, column sequence\): the sequence "
         r"is 31 bases, longer than the 30 the model reads.*Fix: trim it"),
        ("id\tsequence\n", "holds no sequence"),
    ],
)  # fmt: skip
def test_a_bad_table_names_the_file_the_line_and_the_fix(
    text: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        score_sequences(model_of("xpresso", 30, {"source": "table"}), read_new_sequences(path))


def test_predict_refuses_a_model_that_cannot_read_new_sequences() -> None:
    schema = load_schema(REPO / "config" / "schema.yaml")
    assert validate_config({"predict": {"model": "ctxreg"}}, schema)["predict"]["seed"] is None
    with pytest.raises(ConfigError, match=r"'predict.model': 'texcnn_dnabert6' cannot score "
                       r"new sequences.*allowed: xpresso, legnet, ctxreg"):  # fmt: skip
        validate_config({"predict": {"model": "texcnn_dnabert6"}}, schema)
