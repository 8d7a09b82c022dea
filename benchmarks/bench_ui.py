"""Time to an answer in the web UI on the bundled sample, after warm-up, beside the raw
library call in the same process.

    .venv/bin/python benchmarks/bench_ui.py [--repeat 5]

Prints, per question set: (a) the raw ``assistant.answer.answer_question`` call, (b) the
UI's handler (the same call plus turning it into HTML), (c) the whole round trip through
the running Gradio server and its queue over HTTP (gradio_client), including the very
first answer the fresh server gives. Target: the first answer within 2 s.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

QUESTIONS = [  # written for the benchmark; answers are in the sample
    "How many people were killed at the school in Gaza City?",
    "What did the State Department say about the call with Blinken?",
    "Which hospital did the Israeli army order to evacuate?",
    "Were the suspects of the Ain al-Asad attack released?",
    "What did Hussein Allawi say?",
    "Is there a ceasefire in Gaza?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"{name:<34} p50 {statistics.median(seconds) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"max {max(seconds) * 1000:7.1f} ms   (n={len(seconds)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the questions (default 5)")
    args = parser.parse_args()

    from gradio_client import Client

    from assistant.answer import answer_question
    from assistant.ui import Backend, build_app, launch
    from assistant.ui.app import render_ask

    start = time.perf_counter()
    backend = Backend(Path(tempfile.mkdtemp()) / "no-index")  # the sample, in a temporary index
    built = time.perf_counter() - start
    start = time.perf_counter()
    backend.warm_up()
    warm = time.perf_counter() - start
    demo = build_app(backend)
    port = free_port()
    launch(demo, port=port, block=False)
    client = Client(f"http://127.0.0.1:{port}/", verbose=False)

    # the first answer a user gets from the freshly started server
    first_http = timed(lambda q: client.predict(q, api_name="/ask"), QUESTIONS[0])

    raw, handler, http = [], [], []
    for _ in range(args.repeat):
        for question in QUESTIONS:
            raw.append(timed(lambda q: answer_question(q, backend.index, k=8, engine_claims=backend.claims_of),
                             question))
            handler.append(timed(lambda q: render_ask(backend.ask(q)), question))
            http.append(timed(lambda q: client.predict(q, api_name="/ask"), question))
    demo.close()

    print(f"sample index + encoder load: {built:.1f} s; warm-up (claims, summary, first search): {warm:.1f} s")
    print(f"first answer over HTTP after warm-up: {first_http * 1000:.0f} ms (target <= 2000 ms)")
    print(summary("(a) raw answer_question", raw))
    print(summary("(b) UI handler (answer + HTML)", handler))
    print(summary("(c) HTTP round trip via queue", http))
    print(f"UI overhead, p50: handler {statistics.median(handler) / statistics.median(raw):.2f}x raw, "
          f"HTTP {statistics.median(http) / statistics.median(raw):.2f}x raw")
    return 0 if first_http <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
