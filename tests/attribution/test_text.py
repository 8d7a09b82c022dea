"""The shared text conventions: quotations, kinds of quote, names, stems."""
from __future__ import annotations

from assistant.attribution.text import (QUOTED_ON_LINE, annotated_quote_kind, find_quotations, fold_name, quote_kind,
                                        stem_candidates, strip_suffix)


def test_quotations_pair_marks_and_close_at_a_paragraph_end():
    text = "He said “yes” and ''maybe'' and \"no\".\n“Open to the end"
    assert [text[a:b] for a, b in find_quotations(text)] == ["“yes”", "''maybe''", "\"no\"", "“Open to the end"]
    assert [m.group() for m in QUOTED_ON_LINE.finditer(text)] == ["“yes”", "''maybe''", "\"no\""]


def test_kind_of_quote():
    text = "“We are ready,” she said, calling it “a new start” for the port."
    whole, part = (0, text.index(" she")), (text.index("calling"), len(text) - 1)
    assert quote_kind(text, [whole]) == "direct"
    assert quote_kind(text, [part]) == "mixed"
    assert quote_kind(text, [(text.index("she"), text.index(","))]) == "indirect"
    # an annotator's span may start on white space and end after the comma
    assert annotated_quote_kind(text, [(0, text.index(" she") + 1)]) == "direct"


def test_names_fold_to_one_key():
    assert fold_name("The  State Department") == fold_name("state department") == "state department"
    assert fold_name("O’Brien") == fold_name("O‘Brien") == fold_name("o'brien")
    assert fold_name(None) == ""


def test_suffixes_and_stem_candidates():
    assert strip_suffix("orders", 3) == "order" and strip_suffix("has", 3) == "has"
    assert strip_suffix("warned", 4) == "warn" and strip_suffix("used", 4) == "used"
    assert {"vow", "vows"} <= stem_candidates("vows") and "deny" in stem_candidates("denies")
