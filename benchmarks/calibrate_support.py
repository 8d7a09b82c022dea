"""The verifier's support scores on hand-written sentences about the bundled sample:
verbatim copies, paraphrases, compressions and fabrications (none used by the tests).

    .venv/bin/python benchmarks/calibrate_support.py

Prints each group's label, similarity, coverage and evidence (their mean), the numbers
``assistant.verify.SUPPORTED_AT`` / ``WEAK_AT`` were set from.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import SAMPLE_CORPUS  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.summarize import default_encode  # noqa: E402
from assistant.verify import Citation, Verifier  # noqa: E402

GROUPS = {
    "paraphrase": ["Iraq's prime minister again promised to protect advisers of the US-led coalition.",
                   "Medics said eight people, children among them, died at the Musa Bin Nusayr school in Gaza City.",
                   "The director of Kamal Adwan Hospital said the army told staff to evacuate the hospital.",
                   "Qatar and Egypt have resolved some differences between the warring parties, sources told Reuters."],
    "compression": ["Sudani and Blinken discussed regional tensions and the protection of coalition advisors.",
                    "Israeli strikes killed at least 17 Palestinians in Gaza, including eight at a school."],
    "fabricated": ["Iraq announced it will buy new fighter jets from France next year.",
                   "The Israeli army withdrew all troops from Beit Lahiya on Friday.",
                   "Blinken praised Iran for its efforts to calm the region.",
                   "Egypt closed its border crossing after a storm damaged the road."],
}


def main() -> None:
    articles = read_articles([SAMPLE_CORPUS])
    candidates = [Citation.of(a, s) for a in articles for s in a.sentences]
    embeddings = default_encode([c.text for c in candidates])
    verifier = Verifier(default_encode)
    groups = {"verbatim": [candidates[3].text, candidates[-3].text], **GROUPS}
    for group, sentences in groups.items():
        for sentence, verdict in zip(sentences, verifier.verify(sentences, candidates, embeddings)):
            evidence = (verdict.similarity + verdict.coverage) / 2
            print(f"{group:11s} {verdict.support:11s} sim {verdict.similarity:.2f} cov {verdict.coverage:.2f} "
                  f"evidence {evidence:.2f}  {sentence}")


if __name__ == "__main__":
    main()
