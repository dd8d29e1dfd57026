"""Segment embeddings against a plain one-at-a-time reference, and the chunk files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from cistrans.errors import InputError
from cistrans.io import chunks as chunks_module
from cistrans.io.chunks import chunk_bounds, gather_chunks, read_chunk, write_chunk
from cistrans.sequence.embed import embed_segments, embed_windows, tokenize_segments
from cistrans.sequence.language_model import LanguageModel, load_language_model
from cistrans.sequence.tokenize import kmer_text, split_segments


def random_dna(seed: int, count: int, lengths: tuple[int, int]) -> list[str]:
    rng = np.random.default_rng(seed)
    return [
        "".join(rng.choice(list("ACGTACGTACGTN"), rng.integers(*lengths))) for _ in range(count)
    ]


def reference(lm: LanguageModel, segment: str, pooling: str) -> np.ndarray:
    """One segment through the tokenizer and the model, fp32, no batching."""
    encoded = lm.tokenizer(kmer_text(segment, 6), return_tensors="pt")
    with torch.no_grad():
        hidden = lm.model(**encoded).last_hidden_state[0]
    return (hidden[0] if pooling == "cls" else hidden[1:-1].mean(dim=0)).numpy()


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_batched_sorted_equals_one_at_a_time(lm: LanguageModel, pooling: str) -> None:
    segments = random_dna(3, 23, (6, 68))  # varying lengths: sorting and padding matter
    embedded = embed_segments(lm, segments, pooling, batch_size=5, progress=False)
    assert embedded.shape == (23, 16) and embedded.dtype == np.float16
    expected = np.stack([reference(lm, segment, pooling) for segment in segments])
    np.testing.assert_allclose(embedded.astype(np.float32), expected, rtol=2e-3, atol=2e-3)


def test_mean_and_cls_pooling_differ(lm: LanguageModel) -> None:
    segments = random_dna(4, 3, (40, 41))
    mean = embed_segments(lm, segments, "mean", 8, False)
    cls = embed_segments(lm, segments, "cls", 8, False)
    assert np.abs(mean.astype(np.float32) - cls.astype(np.float32)).max() > 0.05


def test_bfloat16_on_cpu_is_close(lm: LanguageModel) -> None:
    segments = random_dna(5, 4, (60, 61))
    exact = embed_segments(lm, segments, "mean", 4, False).astype(np.float32)
    reduced = load_language_model(lm.source, False, "cpu", "bfloat16")
    assert next(reduced.model.parameters()).dtype == torch.bfloat16
    approx = embed_segments(reduced, segments, "mean", 4, False).astype(np.float32)
    np.testing.assert_allclose(approx, exact, atol=0.1)


def test_windows_shape_and_segment_order(lm: LanguageModel) -> None:
    windows = random_dna(6, 3, (150, 151))
    embedded = embed_windows(lm, windows, 60, 50, "mean", 4, False)
    assert embedded.shape == (3, 3, 16) and embedded.dtype == np.float16
    last = split_segments(windows[2], 60, 50)[2]
    assert last.endswith("N" * 10)
    np.testing.assert_array_equal(embedded[2, 2], embed_segments(lm, [last], "mean", 1, False)[0])


def test_all_n_segment_is_finite(lm: LanguageModel) -> None:
    assert np.isfinite(embed_segments(lm, ["N" * 30], "mean", 1, False)).all()


def test_bad_requests(lm: LanguageModel) -> None:
    with pytest.raises(InputError, match=r"embed\.segment_length"):
        embed_windows(lm, ["ACGT" * 50], 68, 68, "mean", 4, False)
    with pytest.raises(InputError, match=r"embed\.segment_length"):
        tokenize_segments(lm, ["A" * 68])
    with pytest.raises(InputError, match=r"embed\.pooling"):
        embed_segments(lm, ["ACGTACGT"], "max", 4, False)
    with pytest.raises(InputError, match="differ in length"):
        embed_windows(lm, ["ACGT" * 20, "ACGT" * 21], 60, 60, "mean", 4, False)


def test_chunk_bounds_partition_the_genes() -> None:
    assert chunk_bounds(10, 3) == [(0, 3), (3, 6), (6, 10)]
    assert chunk_bounds(2, 3) == [(0, 0), (0, 1), (1, 2)]
    bounds = chunk_bounds(18_377, 20)
    assert bounds[0][0] == 0 and bounds[-1][1] == 18_377
    assert {b - a for a, b in bounds} <= {918, 919}
    with pytest.raises(InputError, match=r"embed\.chunks"):
        chunk_bounds(10, 0)


def test_chunk_round_trip_and_gather(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    first = rng.standard_normal((3, 4, 5)).astype(np.float16)
    second = rng.standard_normal((2, 4, 5)).astype(np.float16)
    write_chunk(tmp_path / "chunk_0.npy", tmp_path / "chunk_0.tsv", first, ["G1", "G2", "G3"])
    write_chunk(tmp_path / "chunk_1.npy", tmp_path / "chunk_1.tsv", second, ["G4", "G5"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "chunk_0.npy", "chunk_0.tsv", "chunk_1.npy", "chunk_1.tsv",
    ]  # fmt: skip
    assert (tmp_path / "chunk_0.tsv").read_text() == "gene_id\nG1\nG2\nG3\n"
    array, genes = read_chunk(tmp_path / "chunk_0.npy", tmp_path / "chunk_0.tsv")
    np.testing.assert_array_equal(array, first)
    assert array.dtype == np.float16 and genes == ["G1", "G2", "G3"]
    paths = [tmp_path / f"chunk_{i}" for i in range(2)]
    array, genes = gather_chunks(
        [p.with_suffix(".npy") for p in paths], [p.with_suffix(".tsv") for p in paths]
    )
    np.testing.assert_array_equal(array, np.concatenate([first, second]))
    assert genes == ["G1", "G2", "G3", "G4", "G5"]


def test_interrupted_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_save(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(chunks_module.np, "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        write_chunk(tmp_path / "c.npy", tmp_path / "c.tsv", np.zeros((1, 1, 1)), ["G1"])
    assert list(tmp_path.iterdir()) == []


def test_damaged_chunks_are_input_errors(tmp_path: Path) -> None:
    write_chunk(tmp_path / "a.npy", tmp_path / "a.tsv", np.zeros((2, 1, 3)), ["G1", "G2"])
    (tmp_path / "b.tsv").write_text("gene_id\nG1\n")
    with pytest.raises(InputError, match="does not match the 1 genes"):
        read_chunk(tmp_path / "a.npy", tmp_path / "b.tsv")
    (tmp_path / "c.tsv").write_text("gene\nG1\nG2\n")
    with pytest.raises(InputError, match="header"):
        read_chunk(tmp_path / "a.npy", tmp_path / "c.tsv")
    with pytest.raises(InputError, match="more than one chunk"):
        gather_chunks([tmp_path / "a.npy"] * 2, [tmp_path / "a.tsv"] * 2)
    with pytest.raises(InputError, match="no such file"):
        read_chunk(tmp_path / "missing.npy", tmp_path / "a.tsv")
