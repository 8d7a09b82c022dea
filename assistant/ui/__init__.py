"""The web UI (Gradio): ``serve()`` opens the index, or the bundled sample, and serves the
Ask, Articles, Speakers, Coverage, Eval and Export tabs."""
from .app import build_app, launch, serve
from .backend import Backend

__all__ = ["Backend", "build_app", "launch", "serve"]
