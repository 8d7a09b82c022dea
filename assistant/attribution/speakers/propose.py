"""The generator path: a model asked who a mention refers to where the rules find no
antecedent, its answer kept only when that name is written in the article before it."""
from __future__ import annotations

import re
from typing import Any

from ...types import Article, Claim
from .entities import PRONOUNS, ProposeSpeaker

# how much text before an unresolved mention the generator is shown
_PROPOSE_CONTEXT_CHARS = 1500
_MAX_NAME_WORDS = 8


def grounded_name(answer: str, text: str) -> str | None:
    """The name a generated ``answer`` gives, as it is written in ``text``, or None. Only
    the answer's first line counts, without a leading "Answer:", quotes or end
    punctuation; it must start with a capital letter, be at most a few words, not be a
    pronoun, and occur in ``text`` as whole words, exactly as written there."""
    line = answer.strip().split("\n", 1)[0].strip()
    line = re.sub(r"^(answer|speaker)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip("\"'“”‘’.,;:!? ")
    if not line or not line[0].isupper() or len(line.split()) > _MAX_NAME_WORDS or line.lower() in PRONOUNS:
        return None
    found = re.search(r"(?<!\w)" + re.escape(line) + r"(?!\w)", text)
    return found.group(0) if found else None


def generator_proposer(generator: Any) -> ProposeSpeaker:
    """A ``propose`` callback for ``resolve_speakers`` that asks ``generator`` (anything
    with ``generate(prompts) -> list[str]``, e.g. ``assistant.generate.Generator``) who an
    unresolved mention refers to, with the ``speaker`` prompt over the text up to the end
    of the claim's sentence. The answer is kept only when ``grounded_name`` finds it in
    the article before the mention, so a proposed speaker always traces to source text;
    the claim's spans are never touched."""
    from ...generate import render_prompt

    def propose(article: Article, claim: Claim) -> str | None:
        if claim.speaker is None:
            return None
        start = claim.speaker.start
        end = max([article.sentences[i].end for i in claim.sentence_ids if i < len(article.sentences)]
                  + [claim.speaker.end])
        context = article.text[max(0, start - _PROPOSE_CONTEXT_CHARS):end]
        prompt = render_prompt("speaker", context=context, mention=claim.speaker.text)
        answer = generator.generate([prompt])[0]
        return grounded_name(answer, article.text[:start])

    return propose
