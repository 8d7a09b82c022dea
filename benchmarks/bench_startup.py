"""Server start-up time against index size (a script, not a test): from calling ``serve``
until the page answers, on indexes of --sizes sentences (synthetic articles of 25
sentences with filled vectors, as in ``bench_store``), each in a fresh process.

    nice -n 19 .venv/bin/python benchmarks/bench_startup.py --sizes 2500,100000
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_store import filled_vectors, synthetic_articles  # noqa: E402

from assistant.corpus import text_checksum  # noqa: E402
from assistant.index.embedded import EmbeddedStore  # noqa: E402
from assistant.models import DEFAULT_EMBEDDING_MODEL  # noqa: E402


def build(folder: Path, size: int) -> None:
    store = EmbeddedStore(folder)
    articles = synthetic_articles(size, seed=11)
    with store.write_lock():
        store.commit(DEFAULT_EMBEDDING_MODEL, [(a, text_checksum(a)) for a in articles],
                     filled_vectors(size, 500, seed=11))


def start_once(folder: Path, port: int) -> dict:
    import httpx

    from assistant.ui.app import serve

    start = time.perf_counter()
    demo, _ = serve(folder, port=port, block=False)
    while httpx.get(f"http://127.0.0.1:{port}/").status_code != 200:
        time.sleep(0.1)
    serving_s = time.perf_counter() - start
    demo.close()
    return {"serving_s": serving_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2500,100000")
    parser.add_argument("--port", type=int, default=7871)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(start_once(Path(args.one), args.port)))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as workdir:
            folder = Path(workdir) / "index"
            build(folder, size)
            done = subprocess.run([sys.executable, __file__, "--one", str(folder), "--port", str(args.port)],
                                  capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
            if done.returncode:
                print(f"{size}: failed\n{done.stderr[-1500:]}")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{size // 25} articles, {size} sentences: serving after {result['serving_s']:.1f} s", flush=True)


if __name__ == "__main__":
    main()
