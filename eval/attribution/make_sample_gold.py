"""Write sample_gold.jsonl from the hand annotation below.

Each relation is written down as the exact words of its roles; offsets are found by
searching for those words (whole-word, and unique) inside the sentence that starts with
the relation's anchor, so nothing is counted by hand. Run from anywhere:

    .venv/bin/python eval/attribution/make_sample_gold.py
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.config import SAMPLE_CORPUS, SAMPLE_GOLD  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.evaluate import sentence_ids_for, span_problem  # noqa: E402
from assistant.types import Article, Claim, Span  # noqa: E402

SUDANI = "Mohammed Shia al-Sudani"
SUDANI_AND_BLINKEN = "Mohammed Shia al-Sudani and Antony Blinken"
ALLAWI = "Dr. Hussein Allawi"
MEDICS = "Palestinian medics"
MILITARY = "the Israeli military"
NOT_SPLIT = ("a report nested in this content is not annotated apart: splitting it would leave "
             "this relation no content of its own (PolNeAR keeps 'X said he believed ...' whole)")


@dataclass
class Relation:
    article: int            # 0: the Iraq article, 1: the Gaza article
    anchor: str             # the words its sentence starts with (unique in the article)
    source: str | None
    cue: str
    content: str | list[str]  # a list when discontinuous
    resolved: str
    speaker_type: str
    kind: str
    note: str | None = None


RELATIONS = [
    # --- Iraq PM Pledges to Blinken to Protect International Coalition Advisors
    Relation(0, "Iraq PM Pledges", "Iraq PM", "Pledges", "to Protect International Coalition Advisors",
             SUDANI, "person", "indirect", "headline; 'to Blinken' is the addressee, outside the cue"),
    Relation(0, "Iraqi Prime Minister Mohammed", "Iraqi Prime Minister Mohammed Shia al-Sudani", "reiterated",
             "his country’s commitment to protecting advisors from the US-led International Coalition",
             SUDANI, "person", "indirect"),
    Relation(0, "He made his remarks", "reports", "said",
             "security forces had released suspects held in attacking the Ain al-Asad base that houses "
             "American troops and advisors",
             "media reports", "media report", "indirect",
             "the same reports as 'media reports said' at the end of the article; 'He made his remarks' "
             "has no content and is not an attribution"),
    Relation(0, "Sudani received late", "Axios", "according to",
             "Sudani received late on Monday a telephone call from US Secretary of State Antony Blinken, "
             "who was set to visit the Middle East but delayed it over “uncertainty” in the region",
             "Axios", "media report", "mixed"),
    Relation(0, "Sudani and Blinken discussed", "Sudani and Blinken", "discussed",
             "the heightened tensions in the region",
             SUDANI_AND_BLINKEN, "person", "indirect",
             "a speech event whose content is a topic, annotated as PolNeAR does ('discussed my sentence')"),
    Relation(0, "A statement from the PM", "A statement from the PM’s office", "said",
             "he “underlined Iraq’s initial position over the real reasons for the instability, which is "
             "[Israel’s] ongoing aggression against Gaza.”",
             "the PM's office", "organisation", "mixed",
             NOT_SPLIT + "; the one reported as underlining is Mohammed Shia al-Sudani"),
    Relation(0, "He called on", "He", "called on",
             "“major countries and United Nations agencies to assume their full responsibilities in putting "
             "a stop to the crimes being committed against the Palestinian people.”",
             SUDANI, "person", "direct"),
    Relation(0, "He also called for", "He", "also called for",
             "violators of international law to be held accountable and tried for crimes against humanity",
             SUDANI, "person", "indirect"),
    Relation(0, "He demanded", "He", "demanded",
             "an end to “this terrible barbarity and an end to violations of the sovereignty of regional "
             "countries.”",
             SUDANI, "person", "mixed"),
    Relation(0, "Moreover, the PM underscored", "the PM", "underscored",
             "Iraq’s “commitment to preventing any action that may undermine stability or expose the "
             "International Coalition advisors to any danger.”",
             SUDANI, "person", "mixed"),
    Relation(0, "Sudani underlined the ongoing", "Sudani", "underlined",
             "the ongoing communication between Baghdad and Washington to end the mission of the coalition "
             "in Iraq and establish bilateral security relations that would bolster security and stability",
             SUDANI, "person", "indirect"),
    Relation(0, "The State Department said", "The State Department", "said",
             "Blinken and Sudani “discussed ongoing diplomatic efforts to advance stability in the region "
             "and the importance of preventing escalation.”",
             "the State Department", "organisation", "mixed", NOT_SPLIT),
    Relation(0, "“Blinken reiterated", "it", "added",
             "“Blinken reiterated the importance of Iraq’s responsibility to protect Coalition military "
             "advisors from attacks by Iran-aligned militias,”",
             "the State Department", "organisation", "direct",
             "'it' is the State Department; Blinken's reiterating is inside the quotation and not split"),
    Relation(0, "The officials “committed", "The officials", "committed to",
             "continuing to consult one another on issues in the region and to advance the US-Iraq "
             "relationship.”",
             SUDANI_AND_BLINKEN, "person", "mixed",
             "an intention of Sudani and Blinken, in words quoted from the State Department's account; "
             "the opening quote mark stands before the cue"),
    Relation(0, "Iraqi Foreign Minister Fuad Hussein",
             "the so-called “Iraqi Resistance Coordination Committee”", "declared",
             "that it would retaliate to any American attack against Iran that uses Iraqi airspace",
             "Iraqi Resistance Coordination Committee", "organisation", "indirect",
             "Fuad Hussein's 'direct contacts with American officials' state no content and are not "
             "annotated"),
    Relation(0, "Meanwhile, aide to Sudani", "aide to Sudani, Dr. Hussein Allawi", "told",
             "that the “strategic contacts between Iraq and the US demonstrate the deep relations between "
             "them when it comes to exchanging views on regional affairs.”",
             ALLAWI, "person", "mixed", "'Asharq Al-Awsat' is the addressee, outside the cue"),
    Relation(0, "“Iraq believes that", "he", "added",
             "“Iraq believes that a ceasefire is key to ending the crisis in Gaza and restoring stability,”",
             ALLAWI, "person", "direct", "Iraq's belief is inside the quotation and not split"),
    Relation(0, "“Iraq is working", "he", "went on to say",
             "“Iraq is working on preventing itself from getting dragged into an open conflict in the "
             "Middle East,”",
             ALLAWI, "person", "direct"),
    Relation(0, "“Iraq is working", "he", "stressing",
             "that it was committed to protecting diplomatic missions and International Coalition advisors",
             ALLAWI, "person", "indirect", "shares its source span with the relation before"),
    Relation(0, "Moreover, he stressed", "he", "stressed",
             "that Iraq is keen on developing its ties with Washington in economic, political, educational, "
             "technological, climate and renewable energy fields",
             ALLAWI, "person", "indirect"),
    Relation(0, "Separately, media reports", "media reports", "said",
             "security forces released five suspects held over the attack on the Ain al-Asad base in the "
             "Anbar province",
             "media reports", "media report", "indirect",
             "the closing sentence (officials 'did not respond to ... requests for a comment') has no "
             "content and is not annotated"),

    # --- Israeli Strikes Kill 17 Palestinians in Gaza, Orders Hospital to Evacuate
    Relation(1, "Israeli Strikes Kill", None, "Orders", "Hospital to Evacuate",
             MILITARY, "organisation", "indirect",
             "headline; the one who orders is not named in it (the body: 'the Israeli military ordered "
             "the evacuation'); 'Israeli Strikes Kill 17 Palestinians' has no cue"),
    Relation(1, "Israeli military strikes across", "medics", "said",
             "Israeli military strikes across the Gaza Strip killed at least 17 Palestinians, eight of them "
             "at a school sheltering displaced families in Gaza City",
             MEDICS, "unnamed source", "indirect",
             "the same medics as 'Palestinian medics' in the next sentence, which repeats the school toll"),
    Relation(1, "Israeli military strikes across", "the Israeli military", "ordered",
             "the evacuation of a hospital in the north",
             MILITARY, "organisation", "indirect", "an order, annotated as PolNeAR does ('ordered the release')"),
    Relation(1, "Palestinian medics said", "Palestinian medics", "said",
             "eight people, including children, were killed in the Musa Bin Nusayr School that sheltered "
             "displaced families in Gaza City",
             MEDICS, "unnamed source", "indirect"),
    Relation(1, "The Israeli military said", "The Israeli military", "said in a statement",
             "the strike targeted Hamas groups operating from a command center embedded inside the school",
             MILITARY, "organisation", "indirect"),
    Relation(1, "It said Hamas used", "It", "said",
             "Hamas used the place to plan and execute attacks against Israeli forces",
             MILITARY, "organisation", "indirect"),
    Relation(1, "Also in Gaza City, medics", "medics", "said",
             "four Palestinians were killed when an airstrike hit a car",
             MEDICS, "unnamed source", "indirect",
             "the fronted 'Also in Gaza City,' is left outside the content"),
    Relation(1, "In the northern Gaza town", "Hussam Abu Safiya, the director of Kamal Adwan Hospital", "said",
             "the army ordered staff to evacuate the hospital and move patients and injured people toward "
             "another hospital in the area",
             "Hussam Abu Safiya", "person", "indirect", NOT_SPLIT),
    Relation(1, "Abu Safiya said the mission", "Abu Safiya", "said",
             "the mission was \"next to impossible\" because staff did not have ambulances to move the patients",
             "Hussam Abu Safiya", "person", "mixed"),
    Relation(1, "Palestinians have accused", "Palestinians", "have accused",
             "Israel of carrying out acts of \"ethnic cleansing\" to depopulate those areas to create a buffer zone",
             "Palestinians", "unnamed source", "mixed"),
    Relation(1, "Israel denies this", "Israel", "denies", "this",
             "Israel", "organisation", "indirect", "'this' stands for the accusation of the sentence before"),
    Relation(1, "Israel denies this", "Israel", "says",
             "the campaign in the area aimed to fight Hamas and prevent them from regrouping",
             "Israel", "organisation", "indirect", "shares its source span with the relation before"),
    Relation(1, "It said its forces", "It", "said",
             "its forces have killed hundreds of fighters and dismantled military infrastructure since that "
             "operation began",
             "Israel", "organisation", "indirect"),
    Relation(1, "Armed wings of Hamas", "Armed wings of Hamas and the Islamic Jihad", "said",
             "they killed many Israeli soldiers in ambushes during the same period",
             "Armed wings of Hamas and the Islamic Jihad", "organisation", "indirect"),
    Relation(1, "Sources close to the discussions", "Sources close to the discussions", "told",
             "that Qatar and Egypt had been able to resolve some differences between the warring parties but "
             "sticking points remained",
             "Sources close to the discussions", "unnamed source", "indirect",
             "'Reuters' is the addressee, outside the cue"),
    Relation(1, "Israel began its assault", "Israeli tallies", "according to",
             "Israel began its assault on Gaza after Hamas-led fighters attacked Israeli communities on "
             "Oct. 7, 2023, killing 1,200 people and taking over 250 hostages",
             "Israeli tallies", "unnamed source", "indirect",
             "the content is the whole clause 'according to' attaches to, as in PolNeAR; the tallies "
             "bear out the figures"),
    Relation(1, "Israel says about 100", "Israel", "says", "about 100 hostages are still being held",
             "Israel", "organisation", "indirect", "'but it is unclear how many are alive' is the author's"),
    Relation(1, "Authorities in Gaza say", "Authorities in Gaza", "say",
             "Israel's campaign has killed more than 45,000 Palestinians and displaced most of the population "
             "of 2.3 million",
             "Authorities in Gaza", "organisation", "indirect"),
]


def _find(article: Article, region: tuple[int, int], words: str, what: str) -> tuple[int, int]:
    """The one whole-word occurrence of ``words`` within ``region``."""
    left = r"\b" if re.match(r"\w", words) else ""
    right = r"\b" if re.search(r"\w$", words) else ""
    hits = [m.span() for m in re.finditer(left + re.escape(words) + right, article.text[region[0]:region[1]])]
    if len(hits) != 1:
        raise SystemExit(f"{what}: {words!r} occurs {len(hits)} times in {article.text[region[0]:region[1]]!r}")
    return region[0] + hits[0][0], region[0] + hits[0][1]


def _region(article: Article, anchor: str) -> tuple[int, int]:
    """From the anchor to the end of the sentence it starts."""
    if article.text.count(anchor) != 1:
        raise SystemExit(f"anchor {anchor!r} occurs {article.text.count(anchor)} times")
    start = article.text.index(anchor)
    sentence = next(s for s in article.sentences if s.start <= start < s.end)
    return start, sentence.end


def build(articles: list[Article]) -> list[dict]:
    corpus = os.path.relpath(SAMPLE_CORPUS, SAMPLE_GOLD.parent)
    records = []
    for number, rel in enumerate(RELATIONS, start=1):
        article = articles[rel.article]
        region = _region(article, rel.anchor)
        what = f"relation {number}"
        pieces = [rel.content] if isinstance(rel.content, str) else rel.content
        content = Span.from_pieces(article.text, [_find(article, region, p, what) for p in pieces])
        speaker = Span.of(article.text, *_find(article, region, rel.source, what)) if rel.source else None
        cue = Span.of(article.text, *_find(article, region, rel.cue, what))
        claim = Claim(article_id=article.id, content=content, kind=rel.kind, speaker=speaker,
                      speaker_resolved=rel.resolved, speaker_type=rel.speaker_type, cue=cue)
        claim.sentence_ids = sentence_ids_for(article, claim)
        problem = span_problem(article, claim)
        if problem:
            raise SystemExit(f"{what}: {problem}")
        record = {"relation_id": f"{article.id}-{number:02d}", **claim.to_dict(),
                  "title": article.title, "corpus": corpus, "gold_notes": rel.note}
        records.append(record)
    return records


def main() -> None:
    articles = read_articles([SAMPLE_CORPUS])
    records = build(articles)
    fd, tmp = tempfile.mkstemp(dir=SAMPLE_GOLD.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, SAMPLE_GOLD)
    counts = {a.title: sum(r["article_id"] == a.id for r in records) for a in articles}
    print(f"{len(records)} relations written to {SAMPLE_GOLD}: {counts}")


if __name__ == "__main__":
    main()
