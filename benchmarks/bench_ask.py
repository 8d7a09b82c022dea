"""`ask` latency on the PolNeAR train+dev index (34k sentences), after warm-up.

    .venv/bin/python benchmarks/bench_ask.py [--repeat 3] [--limit N]
    .venv/bin/python benchmarks/bench_ask.py --quick      # PolNeAR dev only (3.4k sentences)
    .venv/bin/python benchmarks/bench_ask.py --reader FILE   # with an answer reader (eval/train_answer_reader.py)
    .venv/bin/python benchmarks/bench_ask.py --no-disagreements   # answering alone, without the disagreement check

The questions of eval/qa/polnear_dev.jsonl, each asked once first (warm-up: models loaded,
the index read, the attribution engine's claims of the retrieved articles cached, as in a
running server), then ``--repeat`` times: p50 and p95 of `answer_question` as `assistant ask`
runs it (answerability re-ranking, the near-miss explanation and the disagreement check
included), beside the reference: the index's own search for the same questions in the same
process (its p50, and ask's p50 as a multiple of it). The index is built once into
--index-dir (shared with bench_summaries.py and bench_compare.py) and reused.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_summaries import POLNEAR, ROOT, percentile, polnear_index  # noqa: E402

from assistant.answer import answer_question  # noqa: E402
from assistant.answer_reader import load_answer_reader  # noqa: E402
from assistant.answerability import AnswerabilityConfig  # noqa: E402
from assistant.evaluate_qa import read_qa_set  # noqa: E402


def timed(function, questions: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for question in questions:
            started = time.perf_counter()
            function(question)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each question after the warm-up")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--quick", action="store_true", help="index PolNeAR dev only (skip train)")
    parser.add_argument("--set", type=Path, default=ROOT / "eval" / "qa" / "polnear_dev.jsonl")
    parser.add_argument("--index-dir", type=Path, default=ROOT / ".assistant-index" / "bench-polnear",
                        help="where the PolNeAR train+dev index is built and kept")
    parser.add_argument("--reader", type=Path, default=None, metavar="FILE",
                        help="time ask with this answer reader reading the first sentences (eval/train_answer_reader.py)")
    parser.add_argument("--no-disagreements", action="store_true",
                        help="skip the disagreement check of answered questions (attribution and the consistency "
                             "model): times retrieval, answerability and the answer alone")
    args = parser.parse_args()
    if not (POLNEAR / "train").is_dir():
        sys.exit(f"PolNeAR not found at {POLNEAR}")
    folder = args.index_dir.with_name(args.index_dir.name + ("-dev" if args.quick else ""))
    index = polnear_index(folder, args.quick)
    questions = [item.question for item in read_qa_set(args.set)][:args.limit]
    config = AnswerabilityConfig(reader=args.reader is not None)
    reader = load_answer_reader(args.reader) if args.reader is not None else None
    ask = lambda q: answer_question(q, index, 8, config=config, reader=reader,  # noqa: E731
                                    disagreements=not args.no_disagreements)
    search = lambda q: index.search(q, max(8, config.rerank_depth))  # noqa: E731
    started = time.perf_counter()
    timed(ask, questions, 1)
    warm_up = time.perf_counter() - started
    asked = timed(ask, questions, args.repeat)
    searched = timed(search, questions, args.repeat)
    p50, reference = percentile(asked, 50), percentile(searched, 50)
    check = "" if args.no_disagreements else " with the disagreement check"
    print(f"ask{check} on PolNeAR {'dev' if args.quick else 'train+dev'} ({len(index)} sentences), {len(questions)} questions x {args.repeat}: "
          f"p50 {p50:.3f} s, p95 {percentile(asked, 95):.3f} s after warm-up "
          f"(warm-up pass {warm_up:.1f} s); search alone p50 {reference:.3f} s; ask = {p50 / reference:.1f} x search")


if __name__ == "__main__":
    main()
