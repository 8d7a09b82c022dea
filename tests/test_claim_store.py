"""Claims kept with the index: read back, keyed by content, a torn line ignored."""
from __future__ import annotations

from assistant.claim_store import CLAIMS_FILE, ClaimStore
from assistant.corpus import make_article
from assistant.types import Claim, Span


def a_claim(article):
    text = article.text
    return Claim(article.id, Span.of(text, text.index("the"), text.index(".")), "indirect",
                 Span.of(text, 0, 3), "Ana", "person", Span.of(text, 4, 8), [0])


def test_claims_are_read_back_by_article_and_checksum(tmp_path):
    article = make_article(id="a1", text="Ana said the bridge would reopen.")
    ClaimStore(tmp_path).put([("a1", "sum1", [a_claim(article)]), ("a2", "sum2", [])])
    again = ClaimStore(tmp_path)
    assert [c.to_dict() for c in again.get("a1", "sum1")] == [a_claim(article).to_dict()]
    assert again.get("a2", "sum2") == [] and again.get("a1", "other checksum") is None


def test_a_torn_line_costs_only_that_article(tmp_path):
    article = make_article(id="a1", text="Ana said the bridge would reopen.")
    ClaimStore(tmp_path).put([("a1", "sum1", [a_claim(article)])])
    with open(tmp_path / CLAIMS_FILE, "a", encoding="utf-8") as f:
        f.write('{"article_id": "a2", "checksum": "s", "cla')  # a crash mid-write
    store = ClaimStore(tmp_path)
    assert store.get("a1", "sum1") and store.get("a2", "s") is None


def test_an_unwritable_folder_keeps_claims_in_memory(tmp_path):
    (tmp_path / "a file").write_text("not a folder")
    store = ClaimStore(tmp_path / "a file" / "folder")
    store.put([("a1", "sum1", [])])
    assert store.get("a1", "sum1") == []
