"""Shared fixtures of the sequence tests: a tiny DNABERT-6 model folder and its model."""

from __future__ import annotations

from pathlib import Path

import pytest

from cistrans.demo.language_model import save_tiny_dnabert
from cistrans.sequence.language_model import LanguageModel, load_language_model


@pytest.fixture(scope="session")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random DNABERT-6 in the Hugging Face layout (64 positions, hidden size 16)."""
    folder = tmp_path_factory.mktemp("tiny") / "dnabert6"
    save_tiny_dnabert(
        folder,
        seed=0,
        kmer=6,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    return folder


@pytest.fixture(scope="session")
def lm(tiny_folder: Path) -> LanguageModel:
    """The tiny model, loaded on the CPU through `from_pretrained`."""
    return load_language_model(str(tiny_folder), False, "cpu", "auto")
