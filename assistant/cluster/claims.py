"""Claim extraction for ``assistant claims --ray``: articles go through actors that each
load the spaCy pipeline and the cue tagger once; the claims come back in article order."""
from __future__ import annotations

import json
import numpy as np

from ..types import Article, Claim
from .session import start_ray, workers

ACTOR_BATCH = 8  # articles per actor call


class ClaimExtractor:
    """A Ray Data actor: ``extract_claims`` with its models loaded once."""

    def __init__(self, contextual: bool) -> None:
        import torch

        from ..attribution import attribution_pipeline

        torch.set_num_threads(1)
        attribution_pipeline()
        self.contextual = contextual

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from ..attribution import extract_claims

        articles = [Article.from_dict(json.loads(text)) for text in batch["article"]]
        claims = extract_claims(articles, contextual=self.contextual)
        return {"position": batch["position"],
                "claims": np.asarray([json.dumps([c.to_dict() for c in found]) for found in claims], dtype=object)}


def claims_on_ray(articles: list[Article], address: str | None, contextual: bool = True,
                  progress: bool = True) -> list[list[Claim]]:
    """The claims of each article (in order), extracted on Ray."""
    from tqdm import tqdm

    ray = start_ray(address)
    actors, _ = workers(ray)
    dataset = ray.data.from_items([{"position": i, "article": json.dumps(a.to_dict())}
                                   for i, a in enumerate(articles)])
    dataset = dataset.map_batches(ClaimExtractor, fn_constructor_args=(contextual,), batch_size=ACTOR_BATCH,
                                  num_cpus=1,
                                  compute=ray.data.ActorPoolStrategy(size=min(actors, max(1, len(articles) // ACTOR_BATCH))))
    results: list[list[Claim] | None] = [None] * len(articles)
    with tqdm(total=len(articles), desc="claims (ray)", unit="article", disable=not progress, leave=False) as bar:
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            for position, found in zip(batch["position"], batch["claims"]):
                results[int(position)] = [Claim.from_dict(d) for d in json.loads(found)]
                bar.update(1)
    return [found or [] for found in results]
