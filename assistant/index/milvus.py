"""The Milvus store: Milvus Lite (``milvus:PATH.db``, embedded in this process's machine)
or a Milvus server (``http://HOST:19530``), through the same ``pymilvus`` client.

Three collections, named ``{prefix}_sentences``, ``{prefix}_articles`` and ``{prefix}_meta``
(prefix ``$ASSISTANT_COLLECTION``, default ``news``):

- sentences: one row per sentence with its article id, outlet, date, an HNSW-indexed
  embedding and a BM25 full-text field, so the hybrid search (dense + BM25, fused by
  Milvus's ranker) runs inside Milvus with the filters pushed down as an expression. The
  text given to BM25 is the sentence's terms as the embedded store tokenises them, so both
  stores rank words alike (and Milvus Lite, whose analyzer ignores stemming filters, too).
- articles: the article records (zlib-compressed JSON, split in parts under Milvus's
  string limit) with checksum, title, outlet and date for listings;
- meta: one row, the live state: model, width, generation, counts.

Writes are atomic the way Milvus allows without transactions: every row carries the
generation that wrote it. A write inserts its rows under generation ``G + 1`` (invisible:
reads keep to ``gen <= G``), flushes, then switches the meta row to ``G + 1``; only then are
the replaced versions deleted. A read keeps a sentence only when its generation is its
article's live one, so the moment between the switch and the deletions is consistent
too. A failed write leaves rows above ``G``, removed by the next write or ``repair``.
Milvus requires a vector in every collection: articles and meta carry a 2-d placeholder.
"""
from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AssistantError
from ..types import Article
from .dates import iso_date
from .fusion import RRF_K, fusion
from .lexical import tokenize
from .store import Filters, StoredHit, exclusive

COLLECTION_ENV = "ASSISTANT_COLLECTION"
_PART_CHARS = 60_000  # article JSON parts, under Milvus's 65,535-byte VARCHAR limit
_ID_CHARS = 512
_TERMS_CHARS = 65_535
_PLACEHOLDER = [0.0, 1.0]
_BATCH = 1000  # rows per insert, delete or query page
_HNSW = {"M": 16, "efConstruction": 200}


@lru_cache(maxsize=8)
def _client(uri: str) -> Any:
    """One client per address (a Milvus Lite file starts its server once per process)."""
    from pymilvus import MilvusClient

    # Milvus Lite (its server runs in this process) cannot give query iterators a server
    # timestamp and logs so for every query: noise, the iterators work without it
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
    try:
        return MilvusClient(uri)
    except Exception as exc:  # noqa: BLE001 - a connection failure is one clear line
        raise AssistantError(f"cannot open Milvus at {uri} ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc


def _quote(value: str) -> str:
    """A string literal for a Milvus expression."""
    return json.dumps(value)


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


def filter_expression(filters: Filters, generation: int) -> str:
    """The filters as a Milvus boolean expression over the sentence (or article) rows
    visible at ``generation``. Dates compare as strings: ISO dates sort by time, and a
    bound ``YYYY-MM`` includes the whole month (``published < "YYYY-MM~"``)."""
    parts = [f"gen <= {generation}"]
    if filters.article_ids is not None:
        parts.append(f"article_id in {_list(sorted(filters.article_ids))}")
    if filters.sources is not None:
        parts.append(f"source in {_list(sorted(filters.sources))}")
    if filters.date_from is not None:
        parts.append(f"published >= {_quote(filters.date_from)}")
    if filters.date_to is not None:
        parts.append(f'published != "" and published < {_quote(filters.date_to + "~")}')
    return " and ".join(parts)


def _ranker(name: str) -> Any:
    """Milvus's ranker for the fusion called ``name`` (the same names as ``fusion.py``)."""
    from pymilvus import RRFRanker

    fusion(name)  # an unknown name fails as it does for the embedded store
    return {"rrf": lambda: RRFRanker(RRF_K)}[name]()


def _pack(article: Article) -> list[str]:
    blob = base64.b64encode(zlib.compress(json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")))
    text = blob.decode("ascii")
    return [text[i:i + _PART_CHARS] for i in range(0, len(text), _PART_CHARS)] or [""]


def _unpack(parts: list[str]) -> Article:
    return Article.from_dict(json.loads(zlib.decompress(base64.b64decode("".join(parts))).decode("utf-8")))


class MilvusRecords:
    """The live article records, read from the articles collection."""

    def __init__(self, store: "MilvusStore", generation: int) -> None:
        self.store = store
        self.generation = generation

    def _heads(self, expression: str, bounded: bool = False) -> dict[str, dict[str, Any]]:
        """The live version (highest generation) of each article matching ``expression``:
        its first part's light fields; deleted articles left out."""
        latest: dict[str, dict[str, Any]] = {}
        for row in self.store.query(self.store.articles_name, f"part == 0 and gen <= {self.generation} and "
                                    f"({expression})", ["article_id", "gen", "parts", "checksum", "published",
                                                        "sentences"], bounded=bounded):
            if row["article_id"] not in latest or row["gen"] > latest[row["article_id"]]["gen"]:
                latest[row["article_id"]] = row
        return {i: row for i, row in latest.items() if row["parts"] > 0}

    def load_versions(self, heads: dict[str, dict[str, Any]]) -> dict[str, Article]:
        keys = [f"{i}#{row['gen']}" for i, row in heads.items()]
        parts: dict[str, list[tuple[int, str]]] = {}
        for begin in range(0, len(keys), _BATCH):
            for row in self.store.query(self.store.articles_name, f"version in {_list(keys[begin:begin + _BATCH])}",
                                        ["article_id", "part", "data"], bounded=True):
                parts.setdefault(row["article_id"], []).append((row["part"], row["data"]))
        return {i: _unpack([data for _, data in sorted(parts[i])]) for i in heads if i in parts}

    def count(self) -> int:
        return len(self._heads("part == 0"))

    def all(self) -> list[Article]:
        loaded = self.load_versions(self._heads("part == 0"))
        return [loaded[i] for i in sorted(loaded)]

    def get(self, article_id: str) -> Article | None:
        return self.load_versions(self._heads(f"article_id == {_quote(article_id)}", bounded=True)).get(article_id)

    def checksums_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for begin in range(0, len(article_ids), _BATCH):
            heads = self._heads(f"article_id in {_list(article_ids[begin:begin + _BATCH])}", bounded=True)
            found.update({i: row["checksum"] for i, row in heads.items()})
        return found

    def live_generations(self, article_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for begin in range(0, len(article_ids), _BATCH):
            chunk = _list(list(article_ids[begin:begin + _BATCH]))
            found.update({i: row["gen"] for i, row in self._heads(f"article_id in {chunk}", bounded=True).items()})
        return found

    def find(self, filters: Filters, title: str, offset: int, limit: int) -> tuple[list[Article], int]:
        """A page of matching articles, newest first, and the number of matches. The title
        match (a substring, case-insensitive) runs as a ``like`` expression."""
        expression = filter_expression(filters, self.generation)
        if title.strip():
            pattern = title.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            expression += f" and title_key like {_quote('%' + pattern + '%')}"
        heads = self._heads(expression)
        order = sorted(heads, key=lambda i: (heads[i]["published"], i), reverse=True)
        page = {i: heads[i] for i in order[offset:offset + limit]}
        loaded = self.load_versions(page)
        return [loaded[i] for i in page if i in loaded], len(heads)


class MilvusStore:
    """Sentences, articles and state in Milvus (see the module's docstring)."""

    def __init__(self, spec: str) -> None:
        if spec.startswith("milvus:"):
            path = Path(spec.removeprefix("milvus:")).expanduser()
            if path.suffix != ".db":
                raise AssistantError(f"--store {spec!r}: a Milvus Lite file ends in .db (milvus:PATH.db)")
            self.uri, self.lite_file = str(path.resolve()), path.resolve()
        else:
            self.uri, self.lite_file = spec, None
        prefix = os.environ.get(COLLECTION_ENV, "news")
        self.sentences_name, self.articles_name, self.meta_name = (f"{prefix}_{kind}" for kind in
                                                                   ("sentences", "articles", "meta"))
        self.location = self.uri

    @property
    def client(self) -> Any:
        if self.lite_file is not None and not self.lite_file.parent.is_dir():
            raise AssistantError(f"cannot open Milvus Lite at {self.lite_file}: its folder does not exist")
        return _client(self.uri)

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        if self.lite_file is not None and not self.lite_file.exists():
            return False
        return self.manifest() is not None

    def manifest(self) -> dict[str, Any] | None:
        if self.lite_file is not None and not self.lite_file.exists():
            return None
        if not self.client.has_collection(self.meta_name):
            return None
        rows = self.client.query(self.meta_name, filter='key == "state"', output_fields=["data"])
        return json.loads(rows[0]["data"]) if rows else None

    def _generation(self) -> int:
        manifest = self.manifest()
        return int(manifest["generation"]) if manifest else 0

    def loaded(self) -> dict[str, Any] | None:
        return self.manifest()

    def records(self) -> MilvusRecords:
        return MilvusRecords(self, self._generation())

    def articles(self) -> list[Article]:
        return self.records().all() if self.manifest() else []

    def sentence_embeddings(self, article_id: str) -> np.ndarray:
        records = self.records()
        live = records.live_generations([article_id])
        if article_id not in live:
            raise KeyError(article_id)
        rows = self.query(self.sentences_name, f"article_id == {_quote(article_id)} and gen == {live[article_id]}",
                          ["sentence", "vector"], bounded=True)
        rows.sort(key=lambda row: row["sentence"])
        return np.asarray([row["vector"] for row in rows], dtype=np.float32)

    def search(self, query: str, vector: np.ndarray, k: int, filters: Filters, fusion_name: str) -> list[StoredHit]:
        """One hybrid search in Milvus: the HNSW dense request and the BM25 request, each
        ``max(50, 3k)`` deep under the filter expression, fused by Milvus's ranker. Each
        hit's cosine is computed from its stored vector; Milvus does not report the BM25
        part of a fused score, so ``lexical_score`` is None."""
        from pymilvus import AnnSearchRequest

        manifest = self.manifest()
        if vector.shape[0] != manifest["dim"]:
            raise AssistantError(f"the Milvus store at {self.location} holds {manifest['dim']}-wide embeddings, "
                                 f"but {manifest['model']} gives {vector.shape[0]}")
        records = MilvusRecords(self, int(manifest["generation"]))
        expression = filter_expression(filters, records.generation)
        depth = min(16_384, max(50, 3 * k))
        requests = [AnnSearchRequest(data=[vector.tolist()], anns_field="vector", limit=depth, expr=expression,
                                     param={"metric_type": "IP", "params": {"ef": depth}})]
        terms = " ".join(tokenize(query))
        if terms:
            requests.append(AnnSearchRequest(data=[terms], anns_field="sparse", limit=depth, expr=expression,
                                             param={"metric_type": "BM25"}))
        found = self.client.hybrid_search(self.sentences_name, requests, ranker=_ranker(fusion_name),
                                          limit=min(16_384, 2 * k),
                                          output_fields=["article_id", "gen", "sentence", "vector"])[0]
        live = records.live_generations(sorted({hit["entity"]["article_id"] for hit in found}))
        current = [hit for hit in found if live.get(hit["entity"]["article_id"]) == hit["entity"]["gen"]][:k]
        articles = records.load_versions({i: {"gen": g} for i, g in live.items()})
        hits = []
        for hit in current:
            entity = hit["entity"]
            article = articles[entity["article_id"]]
            hits.append(StoredHit(article, article.sentences[entity["sentence"]], score=float(hit["distance"]),
                                  dense_score=float(np.asarray(entity["vector"], dtype=np.float32) @ vector),
                                  lexical_score=None))
        hits.sort(key=lambda h: (-h.score, -h.dense_score))
        return hits

    def query(self, collection: str, expression: str, fields: list[str], bounded: bool = False) -> list[dict[str, Any]]:
        """Every row matching ``expression``: in one request when ``bounded`` (the caller
        knows there are fewer than 16,384), else paged through an iterator."""
        if bounded:
            return self.client.query(collection, filter=expression, output_fields=fields, limit=16_384)
        rows: list[dict[str, Any]] = []
        iterator = self.client.query_iterator(collection, batch_size=_BATCH, filter=expression,
                                              output_fields=fields)
        try:
            while batch := iterator.next():
                rows.extend(batch)
        finally:
            iterator.close()
        return rows

    # ------------------------------------------------------------------ writing

    def commit(self, model: str, records: list[tuple[Article, str]], vectors: np.ndarray) -> None:
        """Add (or replace) ``records`` with their sentences' ``vectors``, atomically."""
        self._write(model, int(vectors.shape[1]), records, vectors, deleted=[])

    def delete(self, article_ids: Sequence[str], model: str) -> int:
        manifest = self.manifest()
        if manifest is None:
            return 0
        present = sorted(self.records().checksums_of(list(article_ids)))
        if present:
            self._write(model, int(manifest["dim"]), [], np.zeros((0, manifest["dim"]), np.float32), present)
        return len(present)

    def _write(self, model: str, dim: int, records: list[tuple[Article, str]], vectors: np.ndarray,
               deleted: list[str]) -> None:
        try:
            self._ensure_collections(dim)
            manifest = self.manifest() or {"generation": 0, "articles": 0, "sentences": 0}
            self._finish(manifest)  # what a failed or unfinished earlier write left
            number = int(manifest["generation"]) + 1
            touched = [article.id for article, _ in records] + deleted
            replaced = self.records().live_generations(touched) if manifest["generation"] else {}
            old_sentences = self._sentence_counts(replaced)
            self._insert_articles(number, records, deleted)
            self._insert_sentences(number, records, vectors)
            self.client.flush(self.articles_name)
            self.client.flush(self.sentences_name)
            state = {"format": 1, "model": model, "dim": dim, "generation": number,
                     "articles": int(manifest["articles"]) - len(replaced) + len(records),
                     "sentences": int(manifest["sentences"]) - sum(old_sentences.values()) + len(vectors),
                     "updated": datetime.now().astimezone().isoformat(timespec="seconds"),
                     "pending": sorted(replaced)}
            self._set_state(state)  # the switch: from here the new generation is live
            self._finish(state)
        except AssistantError:
            raise
        except Exception as exc:  # noqa: BLE001 - a server error is one line; the live state is unchanged
            raise AssistantError(f"cannot write to Milvus at {self.location} ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}); what was committed "
                                 f"before is kept") from exc

    def _sentence_counts(self, live: dict[str, int]) -> dict[str, int]:
        if not live:
            return {}
        rows = self.query(self.articles_name, f"part == 0 and version in "
                          f"{_list([f'{i}#{g}' for i, g in live.items()])}", ["article_id", "sentences"])
        return {row["article_id"]: int(row["sentences"]) for row in rows}

    def _insert_articles(self, number: int, records: list[tuple[Article, str]], deleted: list[str]) -> None:
        rows = []
        for article, checksum in records:
            parts = _pack(article)
            for part, data in enumerate(parts):
                rows.append({"key": f"{article.id}#{number}#{part}", "version": f"{article.id}#{number}",
                             "article_id": article.id, "gen": number, "part": part, "parts": len(parts),
                             "checksum": checksum, "title_key": article.title.lower()[:_ID_CHARS * 4],
                             "source": article.source.strip().lower()[:_ID_CHARS],
                             "published": iso_date(article.published), "sentences": len(article.sentences),
                             "data": data, "placeholder": _PLACEHOLDER})
        for article_id in deleted:  # a tombstone: no parts
            rows.append({"key": f"{article_id}#{number}#0", "version": f"{article_id}#{number}",
                         "article_id": article_id, "gen": number, "part": 0, "parts": 0, "checksum": "",
                         "title_key": "", "source": "", "published": "", "sentences": 0, "data": "",
                         "placeholder": _PLACEHOLDER})
        for begin in range(0, len(rows), _BATCH):
            self.client.insert(self.articles_name, rows[begin:begin + _BATCH])

    def _insert_sentences(self, number: int, records: list[tuple[Article, str]], vectors: np.ndarray) -> None:
        rows, row = [], 0
        for article, _ in records:
            source, published = article.source.strip().lower()[:_ID_CHARS], iso_date(article.published)
            for sentence in article.sentences:
                rows.append({"article_id": article.id, "gen": number, "sentence": sentence.index,
                             "source": source, "published": published,
                             "terms": " ".join(tokenize(sentence.text))[:_TERMS_CHARS // 4],
                             "vector": vectors[row].tolist()})
                row += 1
                if len(rows) == _BATCH:
                    self.client.insert(self.sentences_name, rows)
                    rows = []
        if rows:
            self.client.insert(self.sentences_name, rows)

    def _set_state(self, state: dict[str, Any]) -> None:
        self.client.upsert(self.meta_name, [{"key": "state", "data": json.dumps(state), "placeholder": _PLACEHOLDER}])
        self.client.flush(self.meta_name)

    def _finish(self, state: dict[str, Any]) -> None:
        """Remove rows above the live generation (a failed write's) and the versions the
        live generation replaced or deleted (its ``pending`` articles)."""
        number = int(state["generation"])
        for name in (self.sentences_name, self.articles_name):
            self.client.delete(name, filter=f"gen > {number}")
        pending = list(state.get("pending", []))
        for begin in range(0, len(pending), _BATCH):
            chunk = _list(pending[begin:begin + _BATCH])
            for name in (self.sentences_name, self.articles_name):
                self.client.delete(name, filter=f"article_id in {chunk} and gen < {number}")
            self.client.delete(self.articles_name, filter=f"article_id in {chunk} and parts == 0")  # tombstones
        if pending:
            self._set_state({**state, "pending": []})

    def _ensure_collections(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        client = self.client
        if not client.has_collection(self.sentences_name):
            schema = client.create_schema(auto_id=True)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("article_id", DataType.VARCHAR, max_length=_ID_CHARS)
            schema.add_field("gen", DataType.INT64)
            schema.add_field("sentence", DataType.INT32)
            schema.add_field("source", DataType.VARCHAR, max_length=_ID_CHARS)
            schema.add_field("published", DataType.VARCHAR, max_length=16)
            schema.add_field("terms", DataType.VARCHAR, max_length=_TERMS_CHARS, enable_analyzer=True)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                         input_field_names=["terms"], output_field_names=["sparse"]))
            index = client.prepare_index_params()
            index.add_index("vector", index_type="HNSW", metric_type="IP", params=_HNSW)
            index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            client.create_collection(self.sentences_name, schema=schema, index_params=index,
                                     consistency_level="Strong")
        if not client.has_collection(self.articles_name):
            schema = client.create_schema(auto_id=False)
            schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=_ID_CHARS + 40)
            schema.add_field("version", DataType.VARCHAR, max_length=_ID_CHARS + 30)
            schema.add_field("article_id", DataType.VARCHAR, max_length=_ID_CHARS)
            for name in ("gen", "part", "parts", "sentences"):
                schema.add_field(name, DataType.INT64)
            schema.add_field("checksum", DataType.VARCHAR, max_length=128)
            schema.add_field("title_key", DataType.VARCHAR, max_length=_ID_CHARS * 4 * 4)
            schema.add_field("source", DataType.VARCHAR, max_length=_ID_CHARS)
            schema.add_field("published", DataType.VARCHAR, max_length=16)
            schema.add_field("data", DataType.VARCHAR, max_length=_PART_CHARS)
            schema.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(_PLACEHOLDER))
            self._create_with_placeholder(self.articles_name, schema)
        if not client.has_collection(self.meta_name):
            schema = client.create_schema(auto_id=False)
            schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=16)
            schema.add_field("data", DataType.VARCHAR, max_length=65_535)
            schema.add_field("placeholder", DataType.FLOAT_VECTOR, dim=len(_PLACEHOLDER))
            self._create_with_placeholder(self.meta_name, schema)

    def _create_with_placeholder(self, name: str, schema: Any) -> None:
        index = self.client.prepare_index_params()
        index.add_index("placeholder", index_type="FLAT", metric_type="L2")
        self.client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time on this machine for a Milvus Lite file (a lock file beside
        it); a server's writers must be kept to one by whoever runs them."""
        if self.lite_file is None:
            yield
            return
        try:
            self.lite_file.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.lite_file.with_name(self.lite_file.name + ".lock"), "a")  # noqa: SIM115
        except OSError as exc:
            raise AssistantError(f"cannot write the Milvus Lite file {self.lite_file} "
                                 f"({exc.strerror or exc}); it is unchanged") from exc
        with exclusive(lock):
            yield

    # ------------------------------------------------------------------ checking and repair

    def check(self) -> dict[str, Any]:
        """The state, its counts checked against the live rows."""
        manifest = self.manifest()
        if manifest is None:
            raise AssistantError(f"no index in the Milvus store at {self.location}")
        problem = self._problem(manifest)
        if problem:
            raise AssistantError(f"the Milvus store at {self.location} is inconsistent: {problem}; run "
                                 f"`assistant index repair`")
        return manifest

    def _problem(self, manifest: dict[str, Any]) -> str | None:
        records = self.records()
        heads = records._heads("part == 0")
        if len(heads) != manifest["articles"]:
            return f"{len(heads)} live articles, {manifest['articles']} in the state"
        expected = sum(int(row["sentences"]) for row in heads.values())
        if expected != manifest["sentences"]:
            return f"the articles hold {expected} sentences, the state says {manifest['sentences']}"
        return None

    def repair(self) -> tuple[dict[str, Any], str | None]:
        """Finish or undo what an interrupted write left (rows above the live generation,
        replaced versions not yet removed); the live state itself is never rolled back."""
        manifest = self.manifest()
        if manifest is None:
            raise AssistantError(f"no index in the Milvus store at {self.location}")
        with self.write_lock():
            leftovers = self.query(self.articles_name, f"gen > {manifest['generation']}", ["article_id"])
            problem = (f"{len(leftovers)} article rows of an unfinished write" if leftovers else None) or (
                f"{len(manifest.get('pending', []))} replaced articles not yet removed"
                if manifest.get("pending") else None)
            self._finish(manifest)
        return self.check(), problem
