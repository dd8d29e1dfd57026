"""Loading DNA language models: the tiny DNABERT folder, DNABERT-6 quirks, clear errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from cistrans.errors import InputError
from cistrans.sequence.embed import embed_segments
from cistrans.sequence.language_model import (
    check_segment_length,
    load_language_model,
    max_segment_bases,
    resolve_dtype,
)


def copy_without(folder: Path, destination: Path, *names: str) -> Path:
    shutil.copytree(folder, destination)
    for name in names:
        (destination / name).unlink()
    return destination


def test_tiny_model_loads_as_kmer_model(tiny_folder: Path) -> None:
    lm = load_language_model(str(tiny_folder), False, "cpu", "auto")
    assert (lm.kind, lm.k, lm.max_tokens, lm.hidden_size) == ("kmer", 6, 64, 16)
    assert lm.device == torch.device("cpu") and lm.dtype == torch.float32
    assert not lm.model.training
    assert all(p.dtype == torch.float32 and not p.requires_grad for p in lm.model.parameters())
    assert getattr(lm.model, "pooler", None) is None  # no untrained pooler
    assert max_segment_bases(lm) == 64 - 2 + 5


def test_segment_too_long_names_the_config_key(tiny_folder: Path) -> None:
    lm = load_language_model(str(tiny_folder), False, "cpu", "auto")
    check_segment_length(lm, 67)
    with pytest.raises(InputError) as error:
        check_segment_length(lm, 68)
    message = str(error.value)
    assert "embed.segment_length" in message and "64 tokens" in message and "67" in message
    with pytest.raises(InputError, match="no 6-mer"):
        check_segment_length(lm, 5)


def test_dnabert6_folder_without_model_type_or_lower_case_key(
    tiny_folder: Path, tmp_path: Path
) -> None:
    """DNABERT-6 as published: config.json without model_type, tokenizer_config.json without
    do_lower_case (BERT's default would lower-case every k-mer into [UNK])."""
    folder = shutil.copytree(tiny_folder, tmp_path / "DNA_bert_6")
    config = json.loads((folder / "config.json").read_text())
    config.pop("model_type")
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "tokenizer.json").unlink()
    (folder / "tokenizer_config.json").write_text(json.dumps({"max_len": 64}))
    lm = load_language_model(str(folder), False, "cpu", "auto")
    assert lm.kind == "kmer" and lm.max_tokens == 64
    ids = lm.tokenizer("AAAAAA AAAAAT")["input_ids"]
    assert ids == [lm.cls_id, 5, 6, lm.sep_id]
    reference = load_language_model(str(tiny_folder), False, "cpu", "auto")
    segments = ["ACGTTGCAACGTAGGCTA" * 2]
    np.testing.assert_array_equal(
        embed_segments(lm, segments, "mean", 1, False),
        embed_segments(reference, segments, "mean", 1, False),
    )


def test_missing_tokenizer_files(tiny_folder: Path, tmp_path: Path) -> None:
    folder = copy_without(tiny_folder, tmp_path / "m", "vocab.txt", "tokenizer.json")
    with pytest.raises(InputError) as error:
        load_language_model(str(folder), False, "cpu", "auto")
    message = str(error.value)
    assert str(folder) in message and "vocab.txt" in message and "tokenizer.json" in message
    assert "config.json" in message  # what the folder does hold
    assert "Fix:" in message


def test_missing_config(tiny_folder: Path, tmp_path: Path) -> None:
    folder = copy_without(tiny_folder, tmp_path / "m", "config.json")
    with pytest.raises(InputError, match=r"no config\.json.*vocab\.txt.*Fix: fetch"):
        load_language_model(str(folder), False, "cpu", "auto")


def test_missing_weights(tiny_folder: Path, tmp_path: Path) -> None:
    folder = copy_without(tiny_folder, tmp_path / "m", "model.safetensors")
    with pytest.raises(InputError, match="no model weights"):
        load_language_model(str(folder), False, "cpu", "auto")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such model folder"):
        load_language_model(str(tmp_path / "nowhere" / "model"), False, "cpu", "auto")


def test_hub_id_offline_says_to_prefetch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(InputError) as error:
        load_language_model("zhihan1996/DNA_bert_6", False, "cpu", "auto")
    assert "resources/models/" in str(error.value) and "DNA_bert_6" in str(error.value)


def test_dtypes() -> None:
    cpu = torch.device("cpu")
    assert resolve_dtype("auto", cpu) == torch.float32
    assert resolve_dtype("bfloat16", cpu) == torch.bfloat16
    with pytest.raises(InputError, match=r"embed\.dtype"):
        resolve_dtype("float8", cpu)


DNABERT2 = os.environ.get("CISTRANS_DNABERT2")


@pytest.mark.skipif(
    not DNABERT2, reason="set CISTRANS_DNABERT2 to a DNABERT-2-117M model folder to run"
)
def test_dnabert2_folder_loads_and_embeds() -> None:
    lm = load_language_model(str(DNABERT2), True, "auto", "auto")
    assert lm.kind == "bpe" and lm.k is None and lm.hidden_size == 768
    assert max_segment_bases(lm) is None
    for module in lm.model.modules():
        alibi = getattr(module, "alibi", None)
        if isinstance(alibi, torch.Tensor):
            assert alibi.device.type == lm.device.type
    embedded = embed_segments(lm, ["ACGT" * 100, "GATTACA" * 20], "mean", 2, False)
    assert embedded.shape == (2, 768) and np.isfinite(embedded).all()


# A stand-in for DNABERT-2's custom code: a config class of its own, a BPE tokenizer, an ALiBi
# tensor kept as a plain attribute (transformers builds it on the meta device) and a module-level
# Triton kernel that must not be used.
REMOTE_CONFIG = """
from transformers import BertConfig as TransformersBertConfig


class BertConfig(TransformersBertConfig):
    def __init__(self, alibi_starting_size=64, **kwargs):
        super().__init__(**kwargs)
        self.alibi_starting_size = alibi_starting_size
"""
REMOTE_MODEL = """
import torch
from torch import nn
from transformers import PreTrainedModel

from .configuration_bert import BertConfig


def flash_attn_qkvpacked_func(qkv, bias):  # as if Triton had imported
    raise RuntimeError("Triton kernel used")


class Encoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self._current_alibi_size = int(config.alibi_starting_size)
        self.rebuild_alibi_tensor(size=self._current_alibi_size)

    def rebuild_alibi_tensor(self, size, device=None):
        position = torch.arange(size, device=device)
        self.alibi = -(position[None, :] - position[:, None]).abs().float()[None, None]

    def forward(self, hidden, mask):
        if flash_attn_qkvpacked_func is not None:
            flash_attn_qkvpacked_func(hidden, None)
        seq = hidden.shape[1]
        bias = self.alibi[0, 0, :seq, :seq] + (1.0 - mask[:, None, :].float()) * -1e4
        weights = torch.softmax(hidden @ hidden.transpose(1, 2) + bias, dim=-1)
        return self.dense(weights @ hidden)


class BertModel(PreTrainedModel):
    config_class = BertConfig

    def __init__(self, config, add_pooling_layer=True):
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.encoder = Encoder(config)
        self.post_init()

    def forward(self, input_ids, token_type_ids=None, attention_mask=None, **kwargs):
        hidden = self.encoder(self.embeddings(input_ids), attention_mask)
        return hidden, None
"""


@pytest.fixture(scope="module")
def remote_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from safetensors.torch import save_file
    from tokenizers import Tokenizer, models, processors, trainers
    from transformers import PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("remote") / "dnabert2_like"
    folder.mkdir()
    (folder / "configuration_bert.py").write_text(REMOTE_CONFIG)
    (folder / "bert_layers.py").write_text(REMOTE_MODEL)
    specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
    bpe = Tokenizer(models.BPE(unk_token="[UNK]"))
    rng = np.random.default_rng(0)
    bpe.train_from_iterator(
        ["".join(rng.choice(list("ACGT"), 200)) for _ in range(50)],
        trainers.BpeTrainer(vocab_size=40, special_tokens=specials),
    )
    bpe.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)]
    )
    PreTrainedTokenizerFast(
        tokenizer_object=bpe, model_max_length=64,
        **{f"{name}_token": f"[{name.upper()}]" for name in ("unk", "cls", "sep", "pad", "mask")},
    ).save_pretrained(folder)  # fmt: skip
    vocab, hidden = bpe.get_vocab_size(), 16
    config = {
        "architectures": ["BertModel"],
        "auto_map": {
            "AutoConfig": "configuration_bert.BertConfig",
            "AutoModel": "bert_layers.BertModel",
        },
        "vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": 1,
        "num_attention_heads": 2, "max_position_embeddings": 64, "alibi_starting_size": 64,
    }  # fmt: skip
    (folder / "config.json").write_text(json.dumps(config))
    torch.manual_seed(0)
    weights = {
        "embeddings.weight": torch.randn(vocab, hidden),
        "encoder.dense.weight": torch.randn(hidden, hidden) / 4,
        "encoder.dense.bias": torch.zeros(hidden),
    }
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})
    return folder


def test_remote_code_model_like_dnabert2(remote_folder: Path) -> None:
    lm = load_language_model(str(remote_folder), True, "cpu", "auto")
    assert (lm.kind, lm.k, lm.max_tokens, lm.hidden_size) == ("bpe", None, 64, 16)
    assert lm.model.encoder.alibi.device.type == "cpu"  # rebuilt, not left on meta
    assert max_segment_bases(lm) is None
    embedded = embed_segments(lm, ["ACGTAGCTAGCTAGCATCGA" * 2, "GATTACA"], "mean", 2, False)
    assert embedded.shape == (2, 16) and np.isfinite(embedded).all()
    reduced = load_language_model(str(remote_folder), True, "cpu", "bfloat16")
    approx = embed_segments(reduced, ["ACGTAGCTAGCTAGCATCGA" * 2, "GATTACA"], "mean", 2, False)
    np.testing.assert_allclose(approx.astype(np.float32), embedded.astype(np.float32), atol=0.25)


def test_remote_code_needs_trust(remote_folder: Path) -> None:
    with pytest.raises(InputError, match="trust_remote_code"):
        load_language_model(str(remote_folder), False, "cpu", "auto")


def test_bpe_segment_with_too_many_tokens(remote_folder: Path) -> None:
    lm = load_language_model(str(remote_folder), True, "cpu", "auto")
    with pytest.raises(InputError, match=r"embed\.segment_length.*at most 64"):
        embed_segments(lm, ["ACGT" * 200], "mean", 1, False)


def test_triton_cannot_be_imported_while_loading() -> None:
    from cistrans.sequence.language_model import _without_triton

    with _without_triton(), pytest.raises(ImportError):
        import triton  # noqa: F401
