"""Claims kept with the index: extracted once per article version, read back afterwards.

``claims.jsonl`` in the index folder holds one line per article version,
``{"article_id", "checksum", "claims": [Claim.to_dict()...]}``; a changed article (another
checksum) is extracted again. Lines are appended and fsynced; a torn last line (a crash
mid-write) is ignored when read, so at worst that article's claims are extracted again.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from .types import Claim

CLAIMS_FILE = "claims.jsonl"


class ClaimStore:
    """Claims by (article id, checksum), loaded from ``folder/claims.jsonl`` on first use."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / CLAIMS_FILE
        self._claims: dict[tuple[str, str], list[Claim]] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[tuple[str, str], list[Claim]]:
        if self._claims is None:
            claims: dict[tuple[str, str], list[Claim]] = {}
            try:
                with open(self.path, encoding="utf-8") as f:
                    for line in f:
                        try:
                            record = json.loads(line)
                            claims[record["article_id"], record["checksum"]] = [
                                Claim.from_dict(d) for d in record["claims"]]
                        except (ValueError, KeyError, TypeError, AssertionError):
                            continue  # a torn or foreign line: that article is extracted again
            except (FileNotFoundError, NotADirectoryError):
                pass
            self._claims = claims
        return self._claims

    def get(self, article_id: str, checksum: str) -> list[Claim] | None:
        with self._lock:
            return self._loaded().get((article_id, checksum))

    def put(self, found: list[tuple[str, str, list[Claim]]]) -> None:
        """Store (article id, checksum, claims) triples; kept in memory when the folder
        cannot be written (a read-only index still works, it just extracts again)."""
        with self._lock:
            claims = self._loaded()
            lines = []
            for article_id, checksum, article_claims in found:
                claims[article_id, checksum] = article_claims
                lines.append(json.dumps({"article_id": article_id, "checksum": checksum,
                                         "claims": [c.to_dict() for c in article_claims]}, ensure_ascii=False))
            if not lines:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)  # a Milvus store's --index folder
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
                    f.flush()
                    os.fsync(f.fileno())
            except OSError:
                pass
