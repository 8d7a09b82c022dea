"""News claim and summary fact-check assistant."""
from .types import Article, Claim, Sentence, Span

__all__ = ["Article", "Claim", "Sentence", "Span"]
__version__ = "0.1.0"
