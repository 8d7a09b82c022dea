"""Web UI: `python app.py [--host 127.0.0.1] [--port 7860] [--index DIR]` (same as `assistant serve`)."""
from __future__ import annotations

import argparse
import sys

from assistant.cli.serve import add_serve_options, run
from assistant.config import configure_runtime
from assistant.errors import AssistantError


def main(argv: list[str] | None = None) -> int:
    configure_runtime()
    parser = argparse.ArgumentParser(description="Serve the news fact-check assistant's web UI.")
    add_serve_options(parser)
    try:
        return run(parser.parse_args(argv))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
