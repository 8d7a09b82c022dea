"""The rule for a quotation signed with a dash and a name ("... our greatest shame.” ― Ana
Ruiz"): reader comments, epigraphs, lines quoted from a debate."""
from __future__ import annotations

from ..parsed import ParsedText, could_be_name
from ..relation import Pieces, Relation
from ..text import QUOTE_CHARACTERS, QUOTE_MARKS, closes_quote, quote_kind

SIGNATURE_DASHES = frozenset({"―", "—", "–", "-", "--"})
# what may end the name on its line: a note on the signer ("— Ben Cole (@bcole) May 2",
# "-Ana Ruiz, Lisbon"), or nothing
_NAME_ENDS = frozenset({"(", ",", ";"})


def signature_dash(tok) -> str | None:
    """The dash ``tok`` is, or ends with after closing quotation marks (spaCy keeps
    "”―" as one token), else None."""
    dash = tok.text.lstrip("".join(QUOTE_MARKS))
    return dash if dash in SIGNATURE_DASHES else None


def relation_for_signature(parse: ParsedText, tok) -> Relation | None:
    """A dash right after a closing quotation, then a short name: the name said the
    quotation. The name is capitalised, has a proper noun, no verb ("— Ruiz said later" is
    prose, not a signature) and ends its line or meets a note on the signer."""
    dash = signature_dash(tok)
    if dash is None:
        return None
    text, doc = parse.text, parse.doc
    dash_start = tok.idx + len(tok.text) - len(dash)
    quote = signed_quotation(parse, dash_start)
    if quote is None:
        return None
    line_end = text.find("\n", dash_start)
    line_end = len(text) if line_end < 0 else line_end
    name = []
    for t in doc[tok.i + 1:]:
        if t.idx >= line_end or t.text in _NAME_ENDS:
            break
        name.append(t)
    while name and name[0].is_space:  # "―\xa0Ana Ruiz"
        name.pop(0)
    while name and (name[-1].is_space or name[-1].text == "."):
        name.pop()
    # a name as short as the colon rule's "Name:"
    if len(name) > parse.settings.colon_source_max or not could_be_name(name) \
            or not any(t.pos_ == "PROPN" for t in name):
        return None
    source = [(name[0].idx, name[-1].idx + len(name[-1].text))]
    return Relation(source, [(dash_start, dash_start + len(dash))], quote, quote_kind(text, quote))


def signed_quotation(parse: ParsedText, dash_start: int) -> Pieces | None:
    """The quotation a dash signs, which opens its line: a whole quotation closing right
    before the dash (a blank line between is allowed: a signature on a line of its own),
    or, where the marks do not pair ("”Mr. Ruiz ... shame.” ― ...", "“... ‘so poor.” And
    “the root of all evil’.” ― ..."), the line up to the dash when it opens and closes with
    quotation marks. A paragraph of prose that ends with a quotation and then a credit
    ("... called him \"my friend.\"\n\n- Reuters.") is the writer's."""
    text = parse.text
    end = len(text[:dash_start].rstrip())
    if end == 0 or not closes_quote(text, end):
        return None
    start = text.rfind("\n", 0, end) + 1
    while start < end and text[start].isspace():
        start += 1
    quote = parse.quotes.at(end - 1)
    if quote == (start, end) and text.count("\n", end, dash_start) <= 2:
        return [quote]
    if "\n" in text[end:dash_start]:
        return None
    return [(start, end)] if text[start] in QUOTE_CHARACTERS else None
