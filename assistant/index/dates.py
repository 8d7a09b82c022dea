"""Publication dates: normalised to ISO ``YYYY-MM-DD``, and date filter bounds."""
from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from ..errors import AssistantError

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` for the common ways a publication date is written, else ""."""
    value = (value or "").strip()
    if not value:
        return ""
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return parsedate_to_datetime(value).date().isoformat()
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%m/%d/%Y"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(value, fmt).date().isoformat()
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if found:
        with contextlib.suppress(ValueError):
            return date(*map(int, found.groups())).isoformat()
    return ""


def date_bound(value: str | None, name: str) -> str | None:
    """A date filter bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a prefix of ISO dates)."""
    if value is None or value == "":
        return None
    value = value.strip()
    if _PARTIAL_DATE.match(value):
        return value
    normalised = iso_date(value)
    if not normalised:
        raise AssistantError(f"{name}: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return normalised
