"""Reading news coverage into ``Article`` objects with exact sentence offsets.

Inputs: plain-text/markdown files holding one or many articles, JSON / JSONL records,
CSV/TSV with a text column, Hugging Face datasets (a saved dataset directory, parquet or
arrow files, or ``hf:NAME[:SPLIT]`` where the network allows) and directories of these.

Problems with one file or line (empty, binary, malformed, unreadable, a broken link) are
reported through ``warn`` and the rest is still read; a missing path raises
``AssistantError``.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .models import sentence_splitter
from .types import Article, Sentence

Warn = Callable[[str], None]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
TABLE_SUFFIXES = {".csv", ".tsv"}
DATASET_SUFFIXES = {".parquet", ".arrow"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | TABLE_SUFFIXES | DATASET_SUFFIXES
MAX_FILE_BYTES = 512 * 1024 * 1024
# a file is binary when more than this share of its first characters are undecodable bytes
# (U+FFFD) or control characters: random bytes hold few NULs but decode mostly to U+FFFD
BINARY_SHARE = 0.1
_BINARY_SAMPLE_CHARS = 65536
_UNREADABLE_CHAR = re.compile(r"[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
TITLE_FIELDS = ("title", "headline")
ID_FIELDS = ("id", "article_id", "doc_id", "uid")
DATE_FIELDS = ("published", "date", "publication_date", "published_at")

_TITLE_MAX_WORDS = 25
_MARKER = re.compile(r"^[A-Z]{1,4}$")  # agency / desk markers such as "TT", "AP"
_PHOTO_CREDIT = re.compile(r"\((?:[^()]*\b(?:Photo|Photos|media|Images?|File|Reuters|AFP|AP|Getty)\b[^()]*)\)\s*$")


def _ignore(_: str) -> None:
    pass


# --------------------------------------------------------------------------- sentences

def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]`` with offsets into ``text``. Each line is a
    paragraph: sentences never cross a line break."""
    end = len(text) if end is None else end
    nlp = sentence_splitter()
    sentences: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text[start:end]):
        if not line.group().strip():
            continue
        if len(line.group()) > nlp.max_length:  # spaCy refuses it, with a page-long message
            raise ValueError(f"a line of {len(line.group()):,} characters, over the sentence "
                             f"splitter's limit of {nlp.max_length:,}")
        base = start + line.start()
        spans = [(base + sent.start_char, base + sent.end_char) for sent in nlp(line.group()).sents]
        for a, b in _reattach_opening_quotes(text, spans):
            a, b = _strip(text, a, b)
            if a < b:
                sentences.append(Sentence(len(sentences), a, b, text[a:b], paragraph))
        paragraph += 1
    return sentences


# a quotation mark after a space at the very end of a sentence opens the next one
_TRAILING_OPENING_QUOTE = re.compile(r"\s([\"“‘'])\s*$")


def _reattach_opening_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The splitter ends a sentence after the opening quotation mark of the next one
    (``…more expensive. "``); move that mark to the sentence it opens."""
    out = list(spans)
    for i in range(len(out) - 1):
        a, b = out[i]
        found = _TRAILING_OPENING_QUOTE.search(text, a, b)
        if found:
            out[i] = (a, found.start(1))
            out[i + 1] = (found.start(1), out[i + 1][1])
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# --------------------------------------------------------------------------- articles

def article_id_for(title: str, text: str, source: str = "", url: str = "") -> str:
    """A stable id when the input gives none: from the URL, else title and source (so a
    corrected text replaces the old version), else the text itself."""
    if url:
        key = "url\x00" + url.strip()
    elif title.strip():
        key = "title\x00" + " ".join(title.lower().split()) + "\x00" + source.strip().lower()
    else:
        key = "text\x00" + text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def title_keyed(article: Article) -> bool:
    """Whether the article's id comes from its title alone: no id, URL or outlet was given,
    so another article with the same title would get the same id."""
    return not article.url and not article.source.strip() and bool(article.title.strip()) \
        and article.id == article_id_for(article.title, article.text)


def distinct_id(article: Article) -> str:
    """An id for a title-keyed article whose title is taken by another text: title and
    text, so only the same text is the same article."""
    key = "title+text\x00" + " ".join(article.title.lower().split()) + "\x00" + article.text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def with_provenance(articles: Iterable[Article], source: str = "", published: str = "") -> list[Article]:
    """``articles`` with the outlet and date filled in where the input gave none (plain
    text has neither); an id derived from the title is derived again, with the outlet."""
    out = []
    for article in articles:
        rekey = title_keyed(article) and bool(source.strip()) and not article.source
        article = replace(article, source=article.source or source.strip(),
                          published=article.published or published)
        if rekey:
            article = replace(article, id=article_id_for(article.title, article.text, article.source))
        out.append(article)
    return out


def text_checksum(article: Article) -> str:
    """What decides whether a re-ingested article changed."""
    payload = json.dumps([article.title, article.text, article.source, article.url,
                          article.published, article.captions], ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def make_article(*, text: str, title: str = "", id: str | None = None, source: str = "",
                 url: str = "", published: str = "", captions: Iterable[str] = (),
                 body_start: int = 0, origin: str = "") -> Article:
    """Build an article and segment its sentences."""
    article = Article(id=str(id) if id not in (None, "") else article_id_for(title, text, source, url),
                      title=title.strip(), text=text, source=source, url=url, published=published,
                      captions=list(dict.fromkeys(c.strip() for c in captions if c.strip())),
                      body_start=body_start, origin=origin)
    article.sentences = split_sentences(text)
    return article


# --------------------------------------------------------------------------- plain text

def _is_title_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _TITLE_MAX_WORDS and not line.rstrip().endswith((",", ";"))


def _is_caption(line: str, counts: Counter[str]) -> bool:
    return counts[line] > 1 or bool(_PHOTO_CREDIT.search(line))


def parse_text(raw: str, origin: str = "", source: str = "") -> list[Article]:
    """Split a plain-text file into articles.

    Layout understood (as in wire copy pasted from a site): a title line; optionally photo
    captions (repeated), a short desk marker such as "TT" and the title again; then the
    body. Articles are separated by two or more blank lines before a title, or by a
    title that is repeated in its own header. A file with one plain article keeps its
    text verbatim.
    """
    lines: list[tuple[int, int, str]] = []  # (start, end, stripped text) for every line
    pos = 0
    for piece in raw.split("\n"):
        lines.append((pos, pos + len(piece), piece.strip()))
        pos += len(piece) + 1
    counts = Counter(t for _, _, t in lines if t)

    def blank_run_before(i: int) -> int:
        n = 0
        while i - 1 - n >= 0 and not lines[i - 1 - n][2]:
            n += 1
        return n

    def repeats_soon(i: int) -> bool:
        return any(lines[j][2] == lines[i][2] for j in range(i + 1, min(len(lines), i + 12)))

    # article starts: the first non-blank line, then title-like lines after a wide gap or
    # whose title repeats in the header that follows
    nonblank = [i for i, (_, _, t) in enumerate(lines) if t]
    if not nonblank:
        return []
    starts = [nonblank[0]]
    for i in nonblank[1:]:
        t = lines[i][2]
        # a new headline has a few words; short repeated lines ("___", "Getty") are not one
        if t == lines[starts[-1]][2] or not _is_title_like(t) or len(t.split()) < 3 or _PHOTO_CREDIT.search(t):
            continue
        if blank_run_before(i) >= 2 or repeats_soon(i):
            starts.append(i)
    articles = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(lines))
        article = _parse_one(raw, lines[first:last], counts, origin, source)
        if article is not None:
            articles.append(article)
    return articles


def _parse_one(raw: str, lines: list[tuple[int, int, str]], counts: Counter[str],
               origin: str, source: str) -> Article | None:
    body_lines = [(a, b, t) for a, b, t in lines if t]
    if not body_lines:
        return None
    first_start, _, first = body_lines[0]
    title = ""
    captions: list[str] = []
    i = 0
    if _is_title_like(first) and len(body_lines) > 1:
        title = first.lstrip("#").strip()
        i = 1
        # header: captions, markers and repeats of the title
        while i < len(body_lines):
            t = body_lines[i][2]
            if t == first or _MARKER.match(t):
                i += 1
            elif _is_caption(t, counts):
                captions.append(t)
                i += 1
            else:
                break
    if i >= len(body_lines):
        return None
    body_start_raw = body_lines[i][0]
    body_end_raw = body_lines[-1][1]
    body = raw[body_start_raw:body_end_raw].rstrip()
    header = raw[first_start:body_start_raw]
    if not title:
        text, body_start = raw[first_start:first_start + len(body)], 0
        title = _derive_title(body)
    elif not captions and not header[len(first):].strip():
        # plain "Title\n\nBody": keep the text verbatim
        text = raw[first_start:body_start_raw + len(body)]
        body_start = body_start_raw - first_start
    else:
        text = title + "\n\n" + body
        body_start = len(title) + 2
    return make_article(text=text, title=title, captions=captions, body_start=body_start,
                        origin=origin, source=source)


def _derive_title(body: str) -> str:
    first = body.split("\n", 1)[0]
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "..."


# --------------------------------------------------------------------------- records

def _first(record: dict[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def article_from_record(record: dict[str, Any], origin: str, text_field: str | None = None) -> Article:
    """An article from a JSON/CSV/dataset record; ``text`` is kept verbatim."""
    if not isinstance(record, dict):
        raise ValueError("record is not an object")
    text = record.get(text_field) if text_field else _first(record, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        wanted = text_field or "/".join(TEXT_FIELDS)
        raise ValueError(f"record has no non-empty text field ({wanted})")
    title = _first(record, TITLE_FIELDS) or ""
    published = _first(record, DATE_FIELDS) or ""
    return make_article(text=text, title=str(title), id=_first(record, ID_FIELDS),
                        source=str(record.get("source") or ""), url=str(record.get("url") or ""),
                        published=str(published), origin=origin)


def _records_to_articles(records: Iterable[tuple[str, Any]], warn: Warn,
                         text_field: str | None) -> list[Article]:
    articles = []
    for where, record in records:
        try:
            articles.append(article_from_record(record, where, text_field))
        except ValueError as exc:
            warn(f"{where}: skipped: {exc}")
    return articles


# --------------------------------------------------------------------------- files

def read_bytes_as_text(path: Path, warn: Warn) -> str | None:
    """The file's text, or None (with a warning) when it is empty, binary or too big."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        warn(f"{path}: skipped: file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit")
        return None
    data = path.read_bytes()
    if not data.strip():
        warn(f"{path}: skipped: empty file")
        return None
    try:
        text, bad_byte = data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text, bad_byte = data.decode("utf-8", errors="replace"), exc.start
    if looks_binary(text):
        warn(f"{path}: skipped: binary file")
        return None
    if bad_byte is not None:
        warn(f"{path}: not valid UTF-8 (byte {bad_byte}); undecodable bytes replaced with U+FFFD")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(text: str) -> bool:
    """Whether decoded text is mostly undecodable bytes and control characters."""
    sample = text[:_BINARY_SAMPLE_CHARS]
    return len(_UNREADABLE_CHAR.findall(sample)) > BINARY_SHARE * len(sample)


def read_file(path: Path, warn: Warn = _ignore, text_field: str | None = None) -> list[Article]:
    """Articles in one file (any supported format)."""
    suffix = path.suffix.lower()
    if suffix in DATASET_SUFFIXES:
        return read_dataset(path, warn, text_field)
    raw = read_bytes_as_text(path, warn)
    if raw is None:
        return []
    if suffix in TEXT_SUFFIXES:
        articles = parse_text(raw, origin=str(path))
    elif suffix in (".jsonl", ".ndjson") or (suffix == ".json" and _looks_like_jsonl(raw)):
        articles = _records_to_articles(_jsonl_records(raw, path, warn), warn, text_field)
    elif suffix == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            warn(f"{path}:{exc.lineno}: skipped: malformed JSON ({exc.msg})")
            return []
        items = data.get("articles", [data]) if isinstance(data, dict) else data
        if not isinstance(items, list):
            warn(f"{path}: skipped: expected a JSON list of records")
            return []
        articles = _records_to_articles(((f"{path}[{i}]", r) for i, r in enumerate(items)), warn, text_field)
    elif suffix in TABLE_SUFFIXES:
        articles = _records_to_articles(_table_records(raw, path, "\t" if suffix == ".tsv" else ",", warn),
                                        warn, text_field)
    else:
        warn(f"{path}: skipped: unsupported file type {suffix or '(none)'}")
        return []
    if not articles:
        warn(f"{path}: no articles found")
    return articles


def _looks_like_jsonl(raw: str) -> bool:
    lines = [line for line in raw.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:5])


def _jsonl_records(raw: str, path: Path, warn: Warn) -> Iterator[tuple[str, Any]]:
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}:{n}", json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"{path}:{n}: skipped: malformed JSON ({exc.msg})")


def _table_records(raw: str, path: Path, delimiter: str, warn: Warn) -> Iterator[tuple[str, Any]]:
    # a whole article fits in one cell: no cell limit below the file limit (csv's default
    # of 128 KiB is process-wide state, and raising it harms nothing else)
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.DictReader(io.StringIO(raw), delimiter=delimiter)
    try:
        for n, row in enumerate(reader):
            yield f"{path}:{n + 2}", row
    except csv.Error as exc:
        warn(f"{path}:{reader.line_num}: skipped from here on: malformed row ({exc})")


def is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and any((path / name).exists() for name in
                                 ("dataset_info.json", "state.json", "dataset_dict.json"))


def read_dataset(path: Path | str, warn: Warn = _ignore, text_field: str | None = None) -> list[Article]:
    """Articles from a Hugging Face dataset: a saved directory, a parquet/arrow file, or
    ``hf:NAME[:SPLIT]`` from the hub."""
    import datasets

    try:
        if isinstance(path, str) and path.startswith("hf:"):
            name, _, split = path[3:].partition(":")
            loaded = datasets.load_dataset(name, split=split or None)
        elif Path(path).is_dir():
            loaded = datasets.load_from_disk(str(path))
        else:
            kind = "parquet" if Path(path).suffix.lower() == ".parquet" else "arrow"
            loaded = datasets.load_dataset(kind, data_files=str(path), split="train")
    except Exception as exc:  # noqa: BLE001 - datasets raises many types; one line for the user
        raise AssistantError(f"{path}: cannot load dataset: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    splits = loaded.items() if isinstance(loaded, dict) else [("", loaded)]
    records: list[tuple[str, Any]] = []
    for split, data in splits:
        for i, row in enumerate(data):
            records.append((f"{path}{'/' + split if split else ''}[{i}]", row))
    return _records_to_articles(records, warn, text_field)


def expand_paths(paths: Iterable[str | Path], warn: Warn = _ignore, *,
                 roots: Sequence[Path] | None = None) -> list[Path | str]:
    """Files (and dataset directories / hub names) to read, in a stable order. Raises
    ``AssistantError`` for a path that does not exist.

    Every file and folder is resolved (symbolic links followed) before it is used: with
    ``roots``, one that leads outside them is skipped with a warning, so a link inside an
    allowed folder cannot expose the rest of the machine; a folder or file reached twice
    (a link loop, or a link to something already listed) is read once."""
    allowed = None if roots is None else [Path(r).resolve() for r in roots]
    seen: set[Path] = set()
    found: list[Path | str] = []
    for p in paths:
        if isinstance(p, str) and p.startswith("hf:") and allowed is None:
            found.append(p)
            continue
        path = Path(p)
        if not path.exists():
            raise AssistantError(f"{path}: no such file or directory")
        found.extend(_expand(path, warn, allowed, seen, top=True))
    return found


def _expand(path: Path, warn: Warn, allowed: list[Path] | None, seen: set[Path], top: bool) -> Iterator[Path]:
    """``path`` itself, or the supported files below it (hidden entries skipped; a saved
    dataset directory is one item, not its files)."""
    if not top and path.name.startswith("."):
        return
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        warn(f"{path}: skipped: broken symbolic link")
        return
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop (before Python 3.13)
        warn(f"{path}: skipped: cannot resolve ({getattr(exc, 'strerror', None) or exc})")
        return
    if allowed is not None and not any(real.is_relative_to(root) for root in allowed):
        warn(f"{path}: skipped: leads outside the allowed folders")
        return
    if real in seen:
        return
    seen.add(real)
    if is_saved_dataset(real):
        yield path
    elif real.is_dir():
        try:
            children = sorted(path.iterdir())
        except OSError as exc:
            warn(f"{path}: skipped: cannot list the folder ({exc.strerror or exc})")
            return
        for child in children:
            yield from _expand(child, warn, allowed, seen, top=False)
    elif top or path.suffix.lower() in SUPPORTED_SUFFIXES:
        yield path


def read_source(item: Path | str, warn: Warn = _ignore, text_field: str | None = None) -> list[Article]:
    """Articles from one item of ``expand_paths``. A file that cannot be read (permissions,
    removed meanwhile, a line too long to split) is a warning naming it, never an abort."""
    try:
        if isinstance(item, str) or is_saved_dataset(Path(item)):
            return read_dataset(item, warn, text_field)
        return read_file(Path(item), warn, text_field)
    except OSError as exc:
        warn(f"{item}: skipped: {exc.strerror or exc}")
    except ValueError as exc:
        warn(f"{item}: skipped: {exc}")
    return []


def read_articles(paths: Iterable[str | Path], warn: Warn = _ignore, text_field: str | None = None,
                  *, skip_unreadable: bool = False, progress: bool = False) -> list[Article]:
    """All articles under ``paths``. A missing path or a dataset that cannot be loaded raises
    ``AssistantError``; with ``skip_unreadable`` it is reported through ``warn`` instead and
    the rest is still read. ``progress`` shows a bar over the files. An article id given
    twice with different content is reported (the later one wins when indexed), unless it
    comes from the title alone (then the index keeps both)."""
    from tqdm import tqdm

    items: list[Path | str] = []
    for p in paths:
        try:
            items.extend(expand_paths([p], warn))
        except AssistantError as exc:
            if not skip_unreadable:
                raise
            warn(str(exc))
    articles: list[Article] = []
    for item in tqdm(items, desc="reading", unit="file", disable=not progress, leave=False):
        try:
            articles.extend(read_source(item, warn, text_field))
        except AssistantError as exc:
            if not skip_unreadable:
                raise
            warn(str(exc))
    latest: dict[str, tuple[Article, str]] = {}
    for article in articles:
        checksum = text_checksum(article)
        earlier = latest.get(article.id)
        if earlier is not None and earlier[1] != checksum and not title_keyed(article):  # those are kept apart
            warn(f"{article.origin}: article id {article.id} also given by {earlier[0].origin} with "
                 f"other content; the later one is kept")
        latest[article.id] = (article, checksum)
    return articles
