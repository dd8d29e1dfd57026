"""Load a DNA language model (DNABERT-k, DNABERT-2, any Hugging Face encoder) for embedding.

`load_language_model` takes a local model folder (as `rule download_model` writes it, or the
demo's tiny DNABERT) or a Hugging Face hub id, and returns a `LanguageModel`: tokenizer,
encoder in eval mode on its device, and what the embedding step needs to know about them.

Two kinds of tokenizer:

- `kmer`: a WordPiece vocabulary of [PAD] [UNK] [CLS] [SEP] [MASK] and all k-mers (DNABERT-k;
  k is read from the vocabulary). The tokenizer is loaded as a `BertTokenizer` with
  `do_lower_case=False` whatever the folder says: DNABERT's published `tokenizer_config.json`
  may lack the key, and BERT's default (lower-casing) turns every k-mer into [UNK]. A folder
  whose `config.json` has no `model_type` (DNABERT-6's) is read as a BERT config. The
  embedding step maps k-mers to ids with a lookup table (`kmer_lookup`), checked here
  against the tokenizer on a probe sequence.
- `bpe`: any other tokenizer (DNABERT-2's BPE `tokenizer.json`), used as is.

DNABERT-2 (`zhihan1996/DNABERT-2-117M`, `trust_remote_code=True`) with recent transformers:

- config-class mismatch: its own `BertConfig` is loaded with `AutoConfig.from_pretrained(...,
  trust_remote_code=True)` and passed as `config=` to `AutoModel.from_pretrained`; should
  transformers still raise "config_class ... not consistent", the model is loaded again with
  transformers' `BertConfig` read from the same config.json (the fix of DNABERT-2 issue #55);
- Triton: its `flash_attn_triton.py` predates the Triton 2 API (compile errors on GPU) and
  cannot run on CPU, so `import triton` is made to fail while the model code is imported, and
  the module's `flash_attn_qkvpacked_func` is set to None afterwards: the model always takes
  its PyTorch attention path;
- ALiBi: `BertEncoder.alibi` is a plain tensor attribute, built on the meta device when
  transformers initialises the model there; every module with `rebuild_alibi_tensor` gets it
  rebuilt on the model's device after loading. Any other tensor attribute left on the meta
  device is an error rather than a wrong result.

A hub id is fetched with `huggingface_hub.snapshot_download` (the Hugging Face cache, or the
network) and then loaded like a local folder. Compute nodes without internet should use a
folder fetched beforehand into `resources/models/` (`snakemake download_model`, or
`hf download <id> --local-dir resources/models/<name>`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cistrans.errors import InputError
from cistrans.sequence.tokenize import kmer_ids, kmer_lookup, kmer_text
from cistrans.training import choose_device

log = logging.getLogger(__name__)

KINDS = ("kmer", "bpe")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
CONFIG_FILE = "config.json"
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "vocab.json", "tokenizer.model")
HUB_PATTERNS = ["*.json", "*.txt", "*.py", "*.safetensors", "*.bin", "*.model"]
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_PROBE = "ACGTNACGTTGCAacgtRYAAAAAAAGGGGGGGCCCCCCTTTTTTNNNNNNN"  # checks kmer ids vs tokenizer
_FETCH_FIX = (
    "fetch the model beforehand where there is internet (`snakemake download_model` writes "
    "resources/models/<name>/, or `hf download {id} --local-dir resources/models/<name>`) "
    "and give that folder instead of the hub id"
)


@dataclass
class LanguageModel:
    """A tokenizer and encoder ready to embed DNA.

    kind: "kmer" (DNABERT-k vocabulary, `k` set) or "bpe" (any other tokenizer, `k` None).
    max_tokens: positions per input, [CLS] and [SEP] included.
    dtype: of the weights and of the computation.
    kmer_table: token id of every k-mer by base-4 index (`tokenize.kmer_lookup`), kmer only.
    """

    tokenizer: Any
    model: torch.nn.Module
    kind: str
    k: int | None
    max_tokens: int
    hidden_size: int
    device: torch.device
    dtype: torch.dtype
    source: str
    kmer_table: np.ndarray | None = None

    @property
    def cls_id(self) -> int | None:
        return self.tokenizer.cls_token_id

    @property
    def sep_id(self) -> int | None:
        return self.tokenizer.sep_token_id

    @property
    def pad_id(self) -> int:
        pad = self.tokenizer.pad_token_id
        return 0 if pad is None else int(pad)

    @property
    def unk_id(self) -> int:
        return int(self.tokenizer.unk_token_id)


def load_language_model(
    path_or_hub_id: str, trust_remote_code: bool, device: str, dtype: str
) -> LanguageModel:
    """Load tokenizer and encoder from a model folder or hub id; the encoder in eval mode.

    device: "auto" (GPU when there is one), "cpu" or "cuda". dtype: "auto" (bfloat16 on a GPU
    that supports it, else float16 there; float32 on CPU), "float32", "bfloat16", "float16".
    Weights are cast to the dtype, and the embedding step runs the model under autocast to
    it (so that custom code mixing float32 tensors, like DNABERT-2's ALiBi bias, works).
    bfloat16 on a CPU with AVX512-BF16/AMX is faster than float32 (see
    benchmarks/embedding.py) but not chosen by "auto". Raises InputError for a missing or
    incomplete folder, a hub id that cannot be fetched, or a k-mer tokenizer that does not
    map k-mers to their ids.
    """
    folder = resolve_model_folder(path_or_hub_id)
    check_model_folder(folder)
    torch_device = choose_device(device)
    compute_dtype = resolve_dtype(dtype, torch_device)
    raw_config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    k = detect_kmer_size(_vocabulary_file(folder))
    tokenizer = _load_tokenizer(folder, k, trust_remote_code)
    config = _load_config(folder, raw_config, k, trust_remote_code)
    model = _load_model(folder, config, raw_config, trust_remote_code)
    model = model.to(device=torch_device, dtype=compute_dtype).eval().requires_grad_(False)
    _rebuild_alibi(model, torch_device)
    _check_no_meta_tensors(model, folder)
    lm = LanguageModel(
        tokenizer=tokenizer,
        model=model,
        kind="kmer" if k else "bpe",
        k=k,
        max_tokens=_max_tokens(config, tokenizer),
        hidden_size=int(config.hidden_size),
        device=torch_device,
        dtype=compute_dtype,
        source=str(path_or_hub_id),
    )
    if k:
        lm.kmer_table = kmer_lookup(tokenizer.get_vocab(), k, lm.unk_id)
        _check_kmer_ids(lm, folder)
    log.info(
        "language model %s: %s tokens (k=%s), %d positions, hidden %d, %s on %s",
        path_or_hub_id, lm.kind, k, lm.max_tokens, lm.hidden_size, compute_dtype, torch_device,
    )  # fmt: skip
    return lm


def resolve_model_folder(path_or_hub_id: str) -> Path:
    """The local folder of a model: `path_or_hub_id` itself, or its hub snapshot (fetched)."""
    path = Path(path_or_hub_id)
    if path.is_dir():
        return path
    if path.exists():
        raise InputError(path, "is a file, not a model folder", "give the model's folder")
    if not _HUB_ID.match(path_or_hub_id) or path_or_hub_id.startswith(("resources/", "results/")):
        raise InputError(
            path,
            "no such model folder (and it does not look like a Hugging Face hub id owner/name)",
            "check the path, or run `snakemake download_model` to fetch the model folder",
        )
    return _fetch_from_hub(path_or_hub_id)


def _fetch_from_hub(hub_id: str) -> Path:
    """Snapshot folder of `hub_id` in the Hugging Face cache (downloaded when missing)."""
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(hub_id, allow_patterns=HUB_PATTERNS))
    except Exception as error:  # offline, unknown repo, gated repo: all end in the same fix
        raise InputError(
            f"hub model {hub_id}",
            f"no local folder {hub_id!r}, and as a hub id it cannot be fetched from the "
            f"Hugging Face hub nor found in its cache ({type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''})",
            _FETCH_FIX.format(id=hub_id),
        ) from error


def check_model_folder(folder: Path) -> None:
    """InputError unless `folder` has a config.json, weights and tokenizer files."""
    present = sorted(p.name for p in folder.iterdir())
    listing = ", ".join(present[:20]) + (" …" if len(present) > 20 else "") or "nothing"
    refetch = "fetch the model folder again (`snakemake download_model`) or copy it whole"
    if CONFIG_FILE not in present:
        raise InputError(
            folder, f"no {CONFIG_FILE} in the model folder (it holds {listing})", refetch
        )
    if not any(name in present for name in WEIGHT_FILES):
        raise InputError(
            folder,
            f"no model weights ({' or '.join(WEIGHT_FILES[::2])}) in the folder "
            f"(it holds {listing})",
            refetch,
        )
    if not any(name in present for name in TOKENIZER_FILES):
        raise InputError(
            folder,
            f"no tokenizer files ({', '.join(TOKENIZER_FILES)}) in the model folder "
            f"(it holds {listing})",
            "copy the tokenizer files of the same model into the folder (DNABERT-k: vocab.txt "
            "and tokenizer_config.json; DNABERT-2: tokenizer.json and tokenizer_config.json), "
            "or fetch the folder again with `snakemake download_model`",
        )


def resolve_dtype(dtype: str, device: torch.device) -> torch.dtype:
    """The compute dtype: "auto" is bfloat16 on a GPU with bf16 support, float16 on other
    GPUs, float32 on CPU; else the named dtype."""
    if dtype == "auto":
        if device.type != "cuda":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if dtype not in DTYPES:
        raise InputError(
            "config key 'embed.dtype'",
            f"unknown dtype {dtype!r}",
            f"use one of: auto, {', '.join(DTYPES)}",
        )
    return DTYPES[dtype]


def detect_kmer_size(vocabulary: list[str] | None) -> int | None:
    """k when every non-special token is a k-mer of A, C, G, T (all 4**k of them), else None.

    vocabulary: the lines of vocab.txt (None when the folder has none). Special tokens are
    the bracketed ones ([PAD], [UNK], …).
    """
    if not vocabulary:
        return None
    words = [word for word in vocabulary if word and not word.startswith("[")]
    sizes = {len(word) for word in words}
    if len(sizes) != 1 or not all(set(word) <= set("ACGT") for word in words):
        return None
    k = sizes.pop()
    return k if len(set(words)) == 4**k else None


def max_segment_bases(lm: LanguageModel) -> int | None:
    """The longest segment (in bases) one input holds: (max_tokens - 2) k-mers span
    max_tokens - 2 + k - 1 bases (515 for DNABERT-6). None for BPE models, whose tokens
    cover a varying number of bases; `embed` checks their token counts instead."""
    if lm.kind != "kmer" or lm.k is None:
        return None
    return lm.max_tokens - 2 + lm.k - 1


def check_segment_length(lm: LanguageModel, segment_length: int) -> None:
    """InputError naming `embed.segment_length` when segments do not fit the model."""
    most = max_segment_bases(lm)
    shortest = lm.k or 1
    if segment_length < shortest:
        raise InputError(
            "config key 'embed.segment_length'",
            f"segments of {segment_length} bases hold no {shortest}-mer",
            f"set embed.segment_length to at least {shortest}",
        )
    if most is not None and segment_length > most:
        raise InputError(
            "config key 'embed.segment_length'",
            f"segments of {segment_length} bases make {segment_length - shortest + 1} "
            f"{lm.k}-mers, but {lm.source} takes at most {lm.max_tokens} tokens "
            f"({lm.max_tokens - 2} {lm.k}-mers plus [CLS] and [SEP]), i.e. {most} bases",
            f"set embed.segment_length to at most {most} (and embed.stride to at most that)",
        )


# --- loading --------------------------------------------------------------------------------


def _vocabulary_file(folder: Path) -> list[str] | None:
    """The lines of the folder's vocab.txt, None without one."""
    path = folder / "vocab.txt"
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else None


def _load_tokenizer(folder: Path, k: int | None, trust_remote_code: bool) -> Any:
    """A k-mer model's BertTokenizer with do_lower_case=False, or the folder's own tokenizer."""
    from transformers import AutoTokenizer, BertTokenizer

    try:
        if k:
            return BertTokenizer.from_pretrained(folder, do_lower_case=False)
        return AutoTokenizer.from_pretrained(folder, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as error:
        raise InputError(
            folder,
            f"the tokenizer files cannot be loaded ({str(error).splitlines()[0]})",
            "fetch the model folder again (`snakemake download_model`); a model with custom "
            "code needs `embed.trust_remote_code: true`",
        ) from error


def _load_config(
    folder: Path, raw_config: Mapping[str, Any], k: int | None, trust_remote_code: bool
) -> Any:
    """The model config: a BertConfig for a k-mer model whose config.json has no model_type
    (DNABERT-k), else AutoConfig (the model's own config class with custom code)."""
    from transformers import AutoConfig, BertConfig

    if k and "model_type" not in raw_config and "auto_map" not in raw_config:
        return BertConfig.from_pretrained(folder)
    if "auto_map" in raw_config and not trust_remote_code:
        raise InputError(
            folder,
            "the model comes with its own code (config.json has `auto_map`)",
            "set `embed.trust_remote_code: true` for a model you trust (DNABERT-2 needs it)",
        )
    try:
        return AutoConfig.from_pretrained(folder, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as error:
        raise InputError(
            folder / CONFIG_FILE,
            f"not a config transformers can read ({str(error).splitlines()[0]})",
            "fetch the model folder again (`snakemake download_model`)",
        ) from error


def _load_model(
    folder: Path, config: Any, raw_config: Mapping[str, Any], trust_remote_code: bool
) -> torch.nn.Module:
    """The encoder without its pre-training head, loaded on CPU (PyTorch attention only).

    A remote model whose class expects transformers' own BertConfig (the config-class
    mismatch of DNABERT-2 with some transformers versions) is loaded again with that config.
    """
    import transformers.modeling_utils  # noqa: F401  # torch/transformers see the real triton
    from transformers import AutoModel, BertConfig

    extra: dict[str, Any] = {}
    if getattr(config, "model_type", None) == "bert" and "auto_map" not in raw_config:
        extra["add_pooling_layer"] = False  # DNABERT checkpoints have no trained pooler
    try:
        with _without_triton():
            try:
                model = AutoModel.from_pretrained(
                    folder, config=config, trust_remote_code=trust_remote_code, **extra
                )
            except ValueError as error:
                if "config_class" not in str(error):
                    raise
                model = AutoModel.from_pretrained(
                    folder, config=BertConfig.from_pretrained(folder), trust_remote_code=True
                )
    except ImportError as error:
        raise InputError(
            folder,
            f"the model's code needs a package this environment lacks ({error})",
            "install it into the workflow's environment (DNABERT-2 needs einops)",
        ) from error
    _use_pytorch_attention(model)
    return model


@contextlib.contextmanager
def _without_triton() -> Iterator[None]:
    """Make `import triton` fail inside the block (DNABERT-2 then skips its Triton kernel).

    Modules imported inside the block and guarding the import see no Triton for the rest of
    the process; torch and transformers are imported before it for that reason.
    """
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "triton"}
    for name in saved:
        del sys.modules[name]
    sys.modules["triton"] = None  # type: ignore[assignment]  # import → ImportError
    try:
        yield
    finally:
        del sys.modules["triton"]
        sys.modules.update(saved)


def _use_pytorch_attention(model: torch.nn.Module) -> None:
    """Switch off a remote model's Triton flash attention (DNABERT-2's bert_layers.py)."""
    for module_name in {type(m).__module__ for m in model.modules()}:
        module = sys.modules.get(module_name)
        if module is not None and getattr(module, "flash_attn_qkvpacked_func", None) is not None:
            module.flash_attn_qkvpacked_func = None
            log.info("%s: Triton flash attention off, PyTorch attention used", module_name)


def _rebuild_alibi(model: torch.nn.Module, device: torch.device) -> None:
    """Rebuild ALiBi bias tensors (plain attributes, not buffers) on `device`."""
    for module in model.modules():
        if hasattr(module, "rebuild_alibi_tensor") and hasattr(module, "_current_alibi_size"):
            module.rebuild_alibi_tensor(size=int(module._current_alibi_size), device=device)


def _check_no_meta_tensors(model: torch.nn.Module, folder: Path) -> None:
    """InputError when a parameter, buffer or tensor attribute stayed on the meta device."""
    for name, module in model.named_modules():
        tensors = dict(module.named_parameters(recurse=False))
        tensors |= dict(module.named_buffers(recurse=False))
        tensors |= {k: v for k, v in vars(module).items() if isinstance(v, torch.Tensor)}
        for attribute, tensor in tensors.items():
            if tensor.is_meta:
                raise InputError(
                    folder,
                    f"tensor {name}.{attribute} of the model was never filled (meta device) "
                    "after loading",
                    "the model's custom code does not support this transformers version; "
                    "fetch a current revision of the model or pin an older transformers",
                )


def _max_tokens(config: Any, tokenizer: Any) -> int:
    """Positions per input: the config's max_position_embeddings, capped by the
    tokenizer's model_max_length when that is set (not the 1e30 placeholder)."""
    limits = [getattr(config, "max_position_embeddings", None), tokenizer.model_max_length]
    return int(min(value for value in limits if value and value < 1_000_000))


def _check_kmer_ids(lm: LanguageModel, folder: Path) -> None:
    """InputError unless the lookup table gives the tokenizer's ids on a probe sequence."""
    assert lm.k is not None and lm.kmer_table is not None
    fast = kmer_ids([_PROBE], lm.k, lm.kmer_table, lm.unk_id)[0].tolist()
    slow = lm.tokenizer(kmer_text(_PROBE, lm.k), add_special_tokens=False)["input_ids"]
    if fast != slow:
        raise InputError(
            folder,
            f"the tokenizer does not map {lm.k}-mers to their vocabulary ids "
            f"(ids {slow[:6]} for {_PROBE[: lm.k + 5]}…, expected {fast[:6]})",
            "check tokenizer_config.json (DNABERT needs do_lower_case false) and vocab.txt",
        )
