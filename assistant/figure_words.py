"""Figures written in words, read as digits: "one and a half million" -> "1,500,000",
"nine hundred" -> "900", "half a million" -> "500,000", "a dozen" -> "12".

The parser reads one number word at a time, so before ``checks.normal_figures`` wrote
them as digits: "nine hundred people died" gave the figures 9 and 100, "one and
a half million crowns" 1, and "half a million" or "a dozen" nothing, so two reports giving
one figure in two ways ("1.5 million crowns" / "one and a half million crowns") read as
different figures. Only phrases with a scale ("hundred", "thousand", "million",
"billion", "dozen") or a fraction ("and a half", "half a") are rewritten: a lone number
word ("nine") is read well as it is.
"""
from __future__ import annotations

import re


_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_FRACTIONS = {"half": 0.5, "quarter": 0.25}
_WORD = "|".join(sorted([*_SMALL, *_TENS, *_SCALES, *_MULTIPLIERS, *_FRACTIONS, "a", "an", "and", "of"],
                        key=len, reverse=True))
# a run of number words (hyphenated tens: "twenty-five"), spaces between them
_RUN = re.compile(rf"\b(?:{_WORD})(?:-(?:{_WORD}))?(?:\s+(?:{_WORD})(?:-(?:{_WORD}))?)*\b", re.I)


def _value(words: list[str]) -> float | None:
    """The value of a run of number words, None where it is no single figure ("two and
    three thousand" is two figures; "a" alone is none)."""
    total, current, seen, scaled = 0.0, 0.0, False, False
    for k, word in enumerate(words):
        before, after = (words[k - 1] if k else ""), (words[k + 1] if k + 1 < len(words) else "")
        if word in _SMALL or word in _TENS:
            # "two three" is not one figure; "hundred and five", "twenty five" are
            if seen and current % 100 and before != "and" and not (before in _TENS and _SMALL.get(word, 10) < 10):
                return None
            current += _SMALL.get(word, _TENS.get(word, 0))
            seen = True
        elif (word in _MULTIPLIERS or word in _SCALES) and not current and before not in ("a", "an"):
            return None  # a scale of its own ("1.5 million": the digits before it are read as they are)
        elif word in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[word]
            seen = scaled = True
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current, seen, scaled = 0.0, True, True
        elif word in _FRACTIONS:
            # "one and a half", "half a million", "a quarter of a million"; "an hour and a half" is no figure
            if not current and not any(w in _SCALES or w in _MULTIPLIERS for w in words[k + 1:]):
                return None
            current += _FRACTIONS[word]
            seen = scaled = True
        elif word == "and":
            # "hundred and five", "one and a half"; "two and three thousand" are two figures
            if not (before in _MULTIPLIERS or before in _SCALES or after in ("a", "an")):
                return None
        elif word in ("a", "an", "of"):
            if not (after in _MULTIPLIERS or after in _SCALES or after in _FRACTIONS or (word == "of" and before in _FRACTIONS)):
                return None
    return total + current if seen and scaled else None


def _written(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


def spelled_figures(text: str) -> str:
    """``text`` with each figure written in several words as digits (see the module doc)."""
    def rewrite(match: re.Match[str]) -> str:
        raw = match.group(0)
        words = [w for w in re.split(r"[\s-]+", raw.lower()) if w]
        # glue before or after is no part of the figure ("of a million", "a dozen a day"); it is
        # kept as written (glue words have no hyphen: one word, one space-separated token)
        lead = 0
        while lead < len(words) and words[lead] in ("and", "of"):
            lead += 1
        end = len(words)
        while end > lead and words[end - 1] in ("a", "an", "and", "of"):
            end -= 1
        value = _value(words[lead:end]) if end > lead else None
        if value is None:
            return raw
        tokens = raw.split()
        head, tail = tokens[:lead], tokens[len(tokens) - (len(words) - end):] if end < len(words) else []
        return " ".join([*head, _written(value), *tail])
    return _RUN.sub(rewrite, text)
