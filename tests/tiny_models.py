"""Tiny randomly initialised generators, built and saved locally so that the real
loading and generation code runs end to end without any download."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SPECIAL = ["<pad>", "</s>", "<unk>", "<s>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = ("{% for m in messages %}<|user|> {{ m['content'] }} {% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def _vocabulary(text: str) -> dict[str, int]:
    words = sorted(set(re.findall(r"\w+|[^\w\s]", text)))
    return {w: i for i, w in enumerate(SPECIAL + [w for w in words if w not in SPECIAL])}


def _tokenizer(vocab: dict[str, int], seq2seq: bool, max_length: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.add_special_tokens(SPECIAL)  # matched whole, never split by the pre-tokenizer
    backend.decoder = decoders.WordPiece()  # joins words with spaces
    if seq2seq:  # a T5 encoder reads "... </s>"
        backend.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, pad_token="<pad>", eos_token="</s>",
                                        unk_token="<unk>", bos_token="<s>", model_max_length=max_length)
    if not seq2seq:
        tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


@lru_cache(maxsize=None)
def tiny_t5(folder: Path, text: str) -> Path:
    """A 2-layer T5 over the words of ``text``, saved in ``folder``."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    vocab = _vocabulary(text)
    torch.manual_seed(0)
    config = T5Config(vocab_size=len(vocab), d_model=32, d_kv=8, d_ff=64, num_layers=2, num_decoder_layers=2,
                      num_heads=4, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    _tokenizer(vocab, seq2seq=True, max_length=512).save_pretrained(folder)
    return folder


@lru_cache(maxsize=None)
def tiny_llama(folder: Path, text: str) -> Path:
    """A 2-layer Llama with a chat template over the words of ``text``, saved in ``folder``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    vocab = _vocabulary(text)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                         pad_token_id=0, eos_token_id=1, bos_token_id=3)
    LlamaForCausalLM(config).save_pretrained(folder)
    _tokenizer(vocab, seq2seq=False, max_length=1024).save_pretrained(folder)
    return folder


@lru_cache(maxsize=None)
def tiny_nli(folder: Path, text: str) -> Path:
    """A 1-layer BERT sequence classifier with MNLI-style labels, saved in ``folder``."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    vocab = _vocabulary(text)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                        num_attention_heads=2, pad_token_id=0, num_labels=3,
                        id2label={0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"},
                        label2id={"ENTAILMENT": 0, "NEUTRAL": 1, "CONTRADICTION": 2})
    BertForSequenceClassification(config).save_pretrained(folder)
    _tokenizer(vocab, seq2seq=False, max_length=128).save_pretrained(folder)
    return folder


def scripted_generator(monkeypatch, output: str, *, cut_off: bool = False):
    """A ``Generator`` that answers every prompt with ``output`` without loading a model;
    the prompts it was given are in its ``prompts`` list."""
    from assistant.generate import Completion, Generator

    generator = Generator("scripted")
    generator.prompts = []

    def complete(prompts, progress=False):
        generator.prompts.extend(prompts)
        return [Completion(output, cut_off) for _ in prompts]

    monkeypatch.setattr(generator, "complete", complete)
    return generator
