"""Benchmark of the sentence index (a script, not a test).

Prints, in one run:
  (a) ingest + index throughput (``assistant ingest`` in-process on a JSONL file: reading,
      sentence splitting, encoding, BM25, writing) in sentences/s, beside raw
      ``SentenceTransformer.encode`` on the same sentences, and their ratio (best wall
      time of alternating runs, and total CPU time, which other load disturbs less);
  (b) search latency p50/p95 at each size in --sizes, query encoding included, in a fresh
      process per size (so its peak memory is that of a process serving that index);
  (c) index size on disk per 100k sentences, and peak memory (max RSS) of each phase.

Sentences are synthetic, news-like, from templates with a large made-up vocabulary of
names. For (b) every sentence is encoded by the real model (--fill encode, the default;
about 11 minutes for 100k on 2 idle CPU cores at ~150 sentences/s, longer on a busy machine), or with --fill repeat only a pool of --pool
sentences is encoded and the other rows reuse pool vectors plus Gaussian noise
(re-normalised): the search cost is the same, retrieval quality is not measured.

    .venv/bin/python benchmarks/bench_index.py
    .venv/bin/python benchmarks/bench_index.py --sizes 10000 --ingest-sentences 1000 --fill repeat
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the assistant command sets it

from assistant.corpus import make_article  # noqa: E402
from assistant.index import SentenceIndex  # noqa: E402
from assistant.models import load_encoder, sentence_splitter  # noqa: E402

SOURCES = ["Wire One", "Daily Ledger", "Harbour Times", "Evening Post", "Valley Herald"]
SUBJECTS = ["The minister", "Officials in {place}", "A spokesperson for {org}", "Protesters", "The central bank",
            "Residents of {place}", "Prime Minister {name}", "Analysts at {org}", "{name}, a local trader,",
            "Rescue teams", "The army", "Health workers in {place}", "Opposition leader {name}", "The court",
            "Investors", "The mayor of {place}", "Union members", "Doctors at the {place} hospital"]
VERBS = ["said", "announced", "denied", "warned", "confirmed", "reported", "argued", "promised", "insisted",
         "told reporters", "claimed", "estimated"]
CLAUSES = ["that talks on {topic} would resume in {place} next {day}",
           "that {number} people had been {event} near {place}",
           "a plan to {action} {topic} before {month}",
           "that the {topic} deal with {org} was close",
           "that {name} would visit {place} to discuss {topic}",
           "the {event2} of {number} workers at the {place} plant",
           "that prices of {goods} rose by {number} percent in {month}",
           "that the {topic} dispute had left {place} without {goods} for {number} days"]
TAILS = ["", "", ", according to {org}", " after the {event2} in {place}", ", citing {org} figures",
         " despite objections from {name}", " on {day} evening", ", a claim {org} rejected"]
TOPICS = ["water", "border", "fuel", "trade", "ceasefire", "pension", "housing", "election", "tariff", "fishing",
          "grain", "railway", "vaccine", "mining", "power grid", "school", "budget", "port"]
EVENTS = ["injured", "evacuated", "arrested", "displaced", "rescued", "killed", "detained"]
EVENTS2 = ["strike", "closure", "collapse", "dismissal", "protest", "flooding", "fire", "blockade"]
ACTIONS = ["cut", "expand", "review", "suspend", "restore", "privatise", "subsidise", "audit"]
GOODS = ["bread", "diesel", "medicine", "electricity", "cement", "rice", "cooking gas"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]
SYLLABLES = ["ka", "ri", "mo", "zel", "tan", "vor", "ash", "lin", "dru", "pe", "sa", "qu", "bel", "nor", "hat",
             "ul", "ven", "ko", "mir", "ta"]


class Synthetic:
    """Deterministic news-like sentences; names and places come from a vocabulary of
    thousands of made-up words, so BM25 postings have a realistic spread."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = [self._word(2, 3) for _ in range(4000)]
        self.places = [self._word(2, 4) for _ in range(3000)]
        self.orgs = [f"the {self._word(2, 3)} {w}" for w in ("Institute", "Group", "Council", "Agency", "Bank")
                     for _ in range(300)]

    def _word(self, lo: int, hi: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(lo, hi))).capitalize()

    def _fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            place=r.choice(self.places), name=r.choice(self.names), org=r.choice(self.orgs), topic=r.choice(TOPICS),
            day=r.choice(DAYS), number=r.randint(2, 900), event=r.choice(EVENTS), event2=r.choice(EVENTS2),
            action=r.choice(ACTIONS), month=r.choice(MONTHS), goods=r.choice(GOODS))

    def sentence(self) -> str:
        r = self.rng
        text = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(CLAUSES)}{r.choice(TAILS)}."
        return self._fill(text[0].upper() + text[1:])

    def query(self) -> str:
        r = self.rng
        return self._fill(r.choice(["{topic} talks in {place}", "{event2} at the {place} plant",
                                    "price of {goods} in {month}", "{name} visit to {place}",
                                    "people {event} near {place}", "plan to {action} {topic}"]))

    def articles(self, sentences: int, per_article: int = 25, prefix: str = "a") -> list[dict]:
        records = []
        for n in range(0, sentences, per_article):
            count = min(per_article, sentences - n)
            body = [self.sentence() for _ in range(count - 1)]
            title = self._fill(f"{self.rng.choice(TOPICS).capitalize()} row in {{place}} deepens")
            records.append({"id": f"{prefix}{n // per_article}", "title": title, "text": title + "\n\n" + " ".join(body),
                            "source": SOURCES[(n // per_article) % len(SOURCES)],
                            "published": f"2024-{1 + (n // per_article) % 12:02d}-{1 + (n // per_article) % 28:02d}"})
        return records


def peak_rss_mib() -> float:
    """Peak resident memory of this process. VmHWM, unlike ru_maxrss, is not inherited from
    the parent across fork + exec, so a child reports its own peak."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


# --------------------------------------------------------------------------- (a)

def bench_ingest(sentences: int, workdir: Path, seed: int, repeats: int) -> dict:
    """Alternate full ingests (into a fresh index each time) with raw encodes of the same
    sentences, and compare the best time of each: the best run is the one least disturbed
    by other load on the machine."""
    from assistant.cli import main

    records = Synthetic(seed).articles(sentences, prefix="ingest")
    path = workdir / "ingest.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    model = load_encoder()
    sentence_splitter()
    model.encode(["warm up the encoder"] * 64)  # both sides run on a loaded, warm model

    ingest_times, encode_times, ingest_cpu, encode_cpu = [], [], [], []
    texts: list[str] = []

    def run_ingest(run: int) -> None:
        nonlocal texts
        folder = workdir / f"ingest-index-{run}"
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull), \
                contextlib.redirect_stderr(devnull):
            start, start_cpu = time.perf_counter(), time.process_time()
            rc = main(["ingest", str(path), "--index", str(folder)])
            ingest_times.append(time.perf_counter() - start)
            ingest_cpu.append(time.process_time() - start_cpu)
        assert rc == 0
        texts = [s.text for a in SentenceIndex(folder).articles() for s in a.sentences]

    def run_encode() -> None:
        start, start_cpu = time.perf_counter(), time.process_time()
        model.encode(texts)  # sentence-transformers defaults: batch 32, its own length sorting
        encode_times.append(time.perf_counter() - start)
        encode_cpu.append(time.process_time() - start_cpu)

    run_ingest(0)
    run_encode()
    for run in range(1, repeats):  # alternate the order, so a drift in load favours neither side
        if run % 2:
            run_encode()
            run_ingest(run)
        else:
            run_ingest(run)
            run_encode()
    ingest_s, encode_s = min(ingest_times), min(encode_times)
    return {"sentences": len(texts), "ingest_s": ingest_s, "encode_s": encode_s,
            "ingest_times": ingest_times, "encode_times": encode_times,
            "ingest_rate": len(texts) / ingest_s, "encode_rate": len(texts) / encode_s,
            "ratio": encode_s / ingest_s, "cpu_ratio": sum(encode_cpu) / sum(ingest_cpu),
            "peak_rss_mib": peak_rss_mib()}


# --------------------------------------------------------------------------- (b), (c)

def build_index(size: int, folder: Path, fill: str, pool: int, seed: int, vectors: dict[str, np.ndarray]) -> dict:
    """Index ``size`` synthetic sentences. Encoded vectors are cached in ``vectors`` by text
    so that a larger size encodes only what a smaller one has not."""
    records = Synthetic(seed).articles(size, prefix="s")
    articles = [make_article(**r) for r in records]
    texts = [s.text for a in articles for s in a.sentences]
    missing = list(dict.fromkeys(t for t in texts if t not in vectors))
    model = load_encoder()
    start = time.perf_counter()
    if fill == "encode":
        encoded = model.encode(missing, normalize_embeddings=True, convert_to_numpy=True)
        really_encoded = len(missing)
    else:
        base = model.encode(missing[:pool], normalize_embeddings=True, convert_to_numpy=True)
        really_encoded = len(base)
        noise = np.random.default_rng(seed).normal(0, 0.05, (len(missing), base.shape[1])).astype(np.float32)
        encoded = base[np.arange(len(missing)) % len(base)] + noise
        encoded /= np.linalg.norm(encoded, axis=1, keepdims=True)
    encode_s = time.perf_counter() - start
    vectors.update(zip(missing, encoded.astype(np.float32)))

    index = SentenceIndex(folder)
    index.encode = lambda batch: np.stack([vectors[t] for t in batch])  # type: ignore[method-assign]
    start = time.perf_counter()
    index.add(articles)
    build_s = time.perf_counter() - start
    return {"size": len(texts), "new": len(missing), "encoded": really_encoded, "encode_s": encode_s,
            "build_s": build_s,
            "bytes": folder_bytes(folder), "peak_rss_mib": peak_rss_mib()}


def measure_search(folder: Path, queries: int, seed: int) -> dict:
    """Run in a fresh process: open the index, search, report latencies and peak memory."""
    synthetic = Synthetic(seed + 1)
    load_encoder()
    index = SentenceIndex(folder)
    start = time.perf_counter()
    index.search("first query after opening the index", k=10)
    first_ms = (time.perf_counter() - start) * 1000
    for _ in range(5):
        index.search(synthetic.query(), k=10)
    plain, plain_cpu, filtered = [], [], []
    for i in range(queries):
        query = synthetic.query()
        start, start_cpu = time.perf_counter(), time.process_time()
        hits = index.search(query, k=10)
        plain.append((time.perf_counter() - start) * 1000)
        plain_cpu.append((time.process_time() - start_cpu) * 1000)
        assert len(hits) == 10
        start = time.perf_counter()
        index.search(query, k=10, sources=[SOURCES[i % len(SOURCES)]], date_from="2024-03-01")
        filtered.append((time.perf_counter() - start) * 1000)
    encode_ms = []
    for _ in range(queries):
        start = time.perf_counter()
        index.encode([synthetic.query()])
        encode_ms.append((time.perf_counter() - start) * 1000)
    return {"sentences": len(index), "first_search_ms": first_ms,
            "p50_ms": percentile(plain, 50), "p95_ms": percentile(plain, 95),
            "cpu_p50_ms": percentile(plain_cpu, 50), "cpu_p95_ms": percentile(plain_cpu, 95),
            "filtered_p50_ms": percentile(filtered, 50), "filtered_p95_ms": percentile(filtered, 95),
            "query_encode_p50_ms": percentile(encode_ms, 50), "peak_rss_mib": peak_rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ingest-sentences", type=int, default=3000, help="sentences for (a) (default 3000)")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each side in (a) (default 3)")
    parser.add_argument("--sizes", default="10000,100000", help="index sizes for (b) (default 10000,100000)")
    parser.add_argument("--queries", type=int, default=100, help="timed queries per size (default 100)")
    parser.add_argument("--fill", choices=["encode", "repeat"], default="encode",
                        help="encode every synthetic sentence (default) or a pool plus noise")
    parser.add_argument("--pool", type=int, default=5000, help="sentences encoded with --fill repeat")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workdir", type=Path, default=None, help="keep indexes here (default: a temp dir)")
    parser.add_argument("--search-only", type=Path, default=None, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.search_only:
        print(json.dumps(measure_search(args.search_only, args.queries, args.seed)))
        return

    import torch

    print(f"machine: {os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} threads, "
          f"device {load_encoder().device}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)

        a = bench_ingest(args.ingest_sentences, workdir, args.seed, args.repeats)
        runs = lambda times: ", ".join(f"{t:.1f}" for t in times)  # noqa: E731
        print(f"\n(a) ingest + index, {a['sentences']} sentences (best of {args.repeats} alternating runs):")
        print(f"    assistant ingest           {a['ingest_rate']:7.1f} sentences/s  (runs: {runs(a['ingest_times'])} s)")
        print(f"    SentenceTransformer.encode {a['encode_rate']:7.1f} sentences/s  (runs: {runs(a['encode_times'])} s)")
        print(f"    ratio {a['ratio']:.3f} (target >= 0.85); ratio of CPU time used, all runs: {a['cpu_ratio']:.3f}")

        vectors: dict[str, np.ndarray] = {}
        print(f"\n(b) search latency, k=10, query encoding included ({args.queries} queries, fill={args.fill}):")
        built = []
        for size in sorted(int(s) for s in args.sizes.split(",")):
            folder = workdir / f"index-{size}"
            b = build_index(size, folder, args.fill, args.pool, args.seed, vectors)
            built.append(b)
            child = subprocess.run([sys.executable, __file__, "--search-only", str(folder),
                                    "--queries", str(args.queries), "--seed", str(args.seed)],
                                   capture_output=True, text=True, check=True)
            s = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"    {s['sentences']:>7} sentences: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms wall "
                  f"(CPU time p50 {s['cpu_p50_ms']:.1f}, p95 {s['cpu_p95_ms']:.1f} ms)")
            print(f"             with a source + date filter: p50 {s['filtered_p50_ms']:.1f}, "
                  f"p95 {s['filtered_p95_ms']:.1f} ms; query encoding alone p50 {s['query_encode_p50_ms']:.1f} ms; "
                  f"first search after opening {s['first_search_ms']:.0f} ms; "
                  f"search process peak RSS {s['peak_rss_mib']:.0f} MiB")
            filled = "" if args.fill == "encode" else f", the other {b['new'] - b['encoded']} filled from them"
            print(f"             built: {b['encoded']} sentences encoded in {b['encode_s']:.0f} s{filled}; "
                  f"index written in {b['build_s']:.1f} s (lexical + files, no encoding)")

        print("\n(c) size and memory:")
        for b in built:
            print(f"    {b['size']:>7} sentences: {b['bytes'] / 2**20:.1f} MiB on disk = "
                  f"{b['bytes'] / b['size'] * 100_000 / 2**20:.1f} MiB per 100k sentences")
        print(f"    peak RSS: ingest run {a['peak_rss_mib']:.0f} MiB; after building all indexes "
              f"{built[-1]['peak_rss_mib']:.0f} MiB (includes the cached vectors); search processes above")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
