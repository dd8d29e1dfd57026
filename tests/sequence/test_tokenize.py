"""DNABERT k-mer tokenisation and window segmentation, against the tokenizer and vocab.txt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cistrans.demo.language_model import kmer_vocabulary, save_tiny_dnabert
from cistrans.errors import InputError
from cistrans.sequence.embed import tokenize_segments
from cistrans.sequence.language_model import (
    check_segment_length,
    detect_kmer_size,
    load_language_model,
    max_segment_bases,
)
from cistrans.sequence.tokenize import (
    kmer_ids,
    kmer_lookup,
    kmer_text,
    kmers,
    n_segments,
    segment_starts,
    split_segments,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
TINY = dict(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)


@pytest.fixture(scope="module")
def model_512(tmp_path_factory: pytest.TempPathFactory):
    """A tiny DNABERT-6 with DNABERT's 512 positions, loaded through from_pretrained."""
    folder = tmp_path_factory.mktemp("dnabert6_512")
    save_tiny_dnabert(folder, seed=0, kmer=6, max_position_embeddings=512, **TINY)
    return load_language_model(str(folder), False, "cpu", "auto")


def test_kmers_overlap_and_upper_case() -> None:
    assert kmers("ACGTac", 3) == ["ACG", "CGT", "GTA", "TAC"]
    assert kmers("ACG", 6) == []
    assert kmer_text("acgtaca", 6) == "ACGTAC CGTACA"


def test_token_ids_follow_vocab_txt(model_512) -> None:
    vocabulary = (Path(model_512.source) / "vocab.txt").read_text().splitlines()
    sequence = "GATTACA" + "N" * 6 + "CCGGTT"
    encoded = model_512.tokenizer(kmer_text(sequence, 6))["input_ids"]
    tokens = [vocabulary[i] for i in encoded]
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert encoded[1] == vocabulary.index("GATTAC")
    assert tokens[1:-1] == [kmer if kmer in vocabulary else "[UNK]" for kmer in kmers(sequence, 6)]
    assert tokens.count("[UNK]") == 11  # the 6-mers starting at bases 2…12 touch an N
    assert model_512.tokenizer.do_lower_case is False


def test_510_kmers_fill_512_positions(model_512) -> None:
    assert model_512.max_tokens == 512
    assert max_segment_bases(model_512) == 515
    rng = np.random.default_rng(1)
    segment = "".join(rng.choice(list("ACGT"), 515))
    (ids,) = tokenize_segments(model_512, [segment])
    assert len(ids) == 512 and ids[0] == model_512.cls_id and ids[-1] == model_512.sep_id
    assert ids.tolist() == model_512.tokenizer(kmer_text(segment, 6))["input_ids"]
    check_segment_length(model_512, 515)
    with pytest.raises(InputError, match=r"embed\.segment_length.*515"):
        check_segment_length(model_512, 516)


def test_lookup_ids_equal_the_tokenizer(model_512) -> None:
    rng = np.random.default_rng(2)
    alphabet = list("ACGTACGTACGTNacgtRY")
    segments = ["".join(rng.choice(alphabet, 40)) for _ in range(20)]
    fast = kmer_ids(segments, 6, model_512.kmer_table, model_512.unk_id)
    for segment, row in zip(segments, fast, strict=True):
        expected = model_512.tokenizer(kmer_text(segment, 6), add_special_tokens=False)
        assert row.tolist() == expected["input_ids"]


def test_lookup_does_not_depend_on_vocabulary_order() -> None:
    words = kmer_vocabulary(3)
    shuffled = {word: i for i, word in enumerate(reversed(words))}
    table = kmer_lookup(shuffled, 3, unk_id=shuffled["[UNK]"])
    ids = kmer_ids(["AAAGT"], 3, table, shuffled["[UNK]"])[0]
    assert ids.tolist() == [shuffled["AAA"], shuffled["AAG"], shuffled["AGT"]]


def test_segments_cover_the_window_with_n_padding() -> None:
    assert segment_starts(10, 4, 3) == [0, 3, 6]
    assert split_segments("ACGTACGTAC", 4, 4) == ["ACGT", "ACGT", "ACNN"]
    assert split_segments("ACG", 5, 2) == ["ACGNN"]
    assert n_segments(10_500, 515, 515) == 21  # the paper's window, DNABERT-6 segments
    for length in (1, 7, 515, 516, 10_500):
        for segment_length, stride in ((515, 515), (515, 400), (100, 1)):
            starts = segment_starts(length, segment_length, stride)
            assert len(starts) == n_segments(length, segment_length, stride)
            assert starts[-1] < max(length, 1) <= starts[-1] + segment_length
            assert all(b - a == stride for a, b in zip(starts, starts[1:], strict=False))
    sequence = "ACGT" * 30
    joined = "".join(split_segments(sequence, 50, 50))
    assert joined == sequence + "N" * 30


def test_gaps_between_segments_are_an_error() -> None:
    with pytest.raises(InputError, match=r"embed\.stride"):
        segment_starts(100, 10, 11)
    with pytest.raises(InputError, match=r"embed\.segment_length"):
        split_segments("ACGT", 0, 1)


def test_detect_kmer_size() -> None:
    assert detect_kmer_size(kmer_vocabulary(4)) == 4
    assert detect_kmer_size(["[PAD]", "[UNK]", "A", "AC", "ACG"]) is None
    assert detect_kmer_size(kmer_vocabulary(3)[:-1]) is None  # incomplete
    assert detect_kmer_size(None) is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared (real DNABERT-6 files)")
def test_real_dnabert6_vocabulary_order() -> None:
    real = (SHARED / "real" / "dnabert6" / "vocab.txt").read_text().splitlines()
    assert real == kmer_vocabulary(6)
    assert detect_kmer_size(real) == 6
    table = kmer_lookup({word: i for i, word in enumerate(real)}, 6, unk_id=1)
    assert kmer_ids(["AAAAAAT"], 6, table, 1)[0].tolist() == [5, 6]
