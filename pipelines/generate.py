"""Deterministic synthetic corpus of news content files, in the contract's section 1 format.

Imitates real exports rather than a uniform sample: long-tailed providers, messy URLs, HTML
entities, CRLF files, other years' field names, republished articles, huge `related` lists.

Two profiles. `default` is a corpus of mostly distinct articles with a light tail of large
files. `real` imitates a news site's whole export history, measured on 156,612 real files:
each article is republished in many files (9,628 articles; files per article median 5, p90
40, max 297, mean 16), and `related` lists are long (median 8, p90 92, up to 133 entries),
which makes files of 9 KB median, 89 KB p90 and 27 KB mean. An article's files are its
versions: one canonical URL, spelt with the usual noise, mostly one title (one file in five
punctuates or spells it a little differently), dated (file mtime) in the order written, days
apart after its publication, and now and then a byte copy of the version before.

Real `related` lists also carry other outlets' coverage of the article's own news, the
contract's stories (section 2: an article and an entry at most 72 h apart, titles of token
Jaccard >= 0.4). So the real profile's shared pool of related entries is drawn as events:
one piece of news covered by 1 to 30 outlets (Pareto-sized), each publishing within hours
of its start (mostly 0 to 48 h, one in twenty a late follow-up 73 to 90 h after it) under
a headline that mostly shares its words (one in thirty words it apart). Four articles in
five cover the event at their time, as another outlet, and about a third of each of their
related lists is its other coverage: its pool entries and the corpus's other articles on
it (fewer when the event has fewer outlets, as in most long lists). About 85% of these
same-event pairs are story edges; the rest are late or worded apart. Measured at 5,000
files: stories of 1 item are 37%, 2 to 5 items 55%, 6 to 9 items 4% and 10 to 30 items
2.5%, and one in seven joins several of the corpus's articles.

The truth (`generate_corpus(..., truth=path)`, see write_truth) names each URL's true event,
without changing a byte of the corpus: in the real profile, an event's pool entries and the
articles that cover it share its id (`event-N`); every other article (`article-N`) and, in
the default and ramp-up profiles, every article and every pool entry (`entry-N`) is an event
of its own, since their titles are drawn independently.
"""

from __future__ import annotations

import base64
import bisect
import collections
import csv
import itertools
import math
import os
import pathlib
import random
import re
import statistics
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta


def _vocab(text: str) -> list[str]:
    """Split a compact word list on `|`, or on whitespace when it has none."""
    return text.split("|") if "|" in text else text.split()


_KNOWN_PROVIDERS = _vocab(
    "Engadget|The Verge|TechCrunch|Wired|Ars Technica|The Next Web|SlashGear|ZDNet|CNET|Gizmodo|"
    "Mashable|VentureBeat|Reuters|BBC News|The Guardian|Bloomberg|Axios|Android Police|9to5Mac|"
    "MacRumors|Tom's Hardware|AnandTech|PCWorld|Digital Trends|Fast Company|Quartz|The Register|"
    "Heise Online|MIT Technology Review|Le Monde Informatique|Golem|Protocol"
)
_PREFIXES = _vocab(
    "Daily Global Silicon Digital Future Metro Pacific Northern Open Bright Urban Cyber Quantum "
    "Pixel Circuit Signal Atlas Harbor Summit Prairie Coastal Capital Eastern Western Modern"
)
_NOUNS = _vocab(
    "Wire Times Post Herald Insider Review Journal Report Gazette Byte Beat Tribune Chronicle "
    "Observer Dispatch Ledger Monitor Bulletin Digest Hub"
)
_TLDS = ["com"] * 14 + ["net", "org", "io", "co.uk", "de", "news", "com.au"]
_TOPICS = _vocab(
    "AI|Computer Vision|Machine Learning|Climate|Privacy|Cybersecurity|Smartphones|"
    "Electric Vehicles|Space|Gaming|Social Media|Cloud Computing|Robotics|Health Tech|Fintech|"
    "Cryptocurrency|Semiconductors|Startups|Regulation|Streaming|Wearables|Autonomous Vehicles|"
    "5G|Open Source|Quantum Computing|Energy|E-commerce|Biotech|Education|Elections"
)
_COMPANIES = _vocab(
    "Apple|Google|Microsoft|Amazon|Meta|Tesla|Samsung|AT&amp;T|Sony|Nvidia|Intel|AMD|OpenAI|"
    "Netflix|Spotify|Uber|IBM|Huawei|Xiaomi|Qualcomm|Twitter|SpaceX|Nintendo|Facebook|Adobe|"
    "Oracle|Zoom|Lyft|Airbnb|Baidu|Alibaba|Tencent|Siemens|Nokia|Ericsson|Renault|Citroën"
)
_PRODUCTS = _vocab(
    "iPhone|Pixel|Galaxy|Surface|Echo|Model 3|PlayStation|Switch|Quest headset|chatbot|"
    "search engine|smart speaker|laptop|cloud platform|app|browser|graphics card|chip|router|"
    "smartwatch|camera|operating system|assistant|drone"
)
_VERBS = _vocab(
    "unveils|launches|delays|cancels|tests|acquires|bans|updates|open-sources|teases|"
    "recalls|expands|kills|rolls out|patents|investigates"
)
_OBJECTS = _vocab(
    "facial recognition tech|a new AI model|its self-driving fleet|a privacy dashboard|"
    "a $100 million fund|battery upgrades|end-to-end encryption|a cheaper subscription|"
    "satellite internet|a foldable phone|carbon offsets|a bug bounty program|its data centers|"
    "live captions|a repair program|biometric payments|a new chip factory|parental controls"
)
_PLACES = _vocab(
    "London|Paris|Berlin|the EU|California|Texas|India|Japan|Brazil|Canada|Australia|China|"
    "New York|Seoul|Nairobi|Lagos|Mexico City"
)
_ADJECTIVES = _vocab(
    "fast|expensive|surprisingly good|underwhelming|a big deal|quietly brilliant|too late|"
    "controversial|long overdue|not ready yet"
)
_SECTIONS = _vocab("news tech business science culture gadgets policy reviews")
_FRAGMENTS = ["comments", "top", "section-2", "gallery", "updates"]
_UTM = _vocab(
    "utm_source=twitter&utm_medium=social|utm_source=newsletter&utm_campaign=daily|utm_source=rss|"
    "utm_medium=referral&ref=homepage|utm_source=feedly&utm_medium=feed&utm_campaign=Feed%3A+tech"
)
# Tracking noise that canonicalisation removes entirely (no `ref=`), so that every file of a
# republished article keeps the article's one canonical URL.
_UTM_ONLY = [q for q in _UTM if all(p.startswith("utm_") for p in q.split("&"))]
_TITLES = _vocab(
    "{c}&#8217;s {p} {v} {o} in {place}|Review: the {c} {p} is {adj}|"
    '{c} and {c2} team up on {o}|"We got it wrong": {c} {v} {o} after backlash|'
    "#{n} reasons the {c} {p} is {adj}!|Q&amp;A: why {c} {v} {o}|"
    "{place} police begin using {o} across the region|"
    "{c} {p} hands-on: {adj}, {adj2} and &quot;{adj}&quot;|"
    "{c} says its {p} isn’t {adj} – but {c2} disagrees|{c} {v} {o} for its {p}|"
    "{c} {v} {o} for its {p}"
)
_BACKSLASH_TITLE = "Fix for C:\\Users paths: {c} {v} {p} update"
# Headlines of one event by different outlets: most share the event's content words (company,
# verb, object, place, product); a few outlets word it their own way and share little.
_EVENT_TITLES = _vocab(
    "{c} {v} {o} in {place}|{c} {v} {o} for its {p}|{c} {v} {o} for its {p} in {place}|"
    "{place}: {c} {v} {o}|Report: {c} {v} {o} in {place}|{c}&#8217;s {p} {v} {o} in {place}|"
    "{c} {v} {o}, and {place} is watching|"
    '"{c} {v} {o}" &#8211; {c2} isn&#8217;t impressed|'
    "{c} confirms it {v} {o} in {place}|Why {c} {v} {o} for its {p}|"
    "{c} {v} {o}: what it means for {place}|{place} police probe {c} {p} over {o}|"
    "Q&amp;A: why {c} {v} {o}"
)
_EVENT_TITLES_APART = _vocab(
    "Everything we know about the {c} {p} so far|"
    "{c} {p} hands-on: {adj}, {adj2} and &quot;{adj}&quot;|"
    "{c} says its {p} isn’t {adj} – but {c2} disagrees"
)
_SENTENCES = _vocab(
    "{c} said on Tuesday that it {v} {o} in {place}.|"
    "Critics say the {p} is {adj}, and regulators in {place} agree.|"
    "According to people familiar with the matter, {c} {v} {o} next year.|"
    "The company&#8217;s {p} has been {adj} since launch.|"
    "Meanwhile, {place} wants to ban {o} for up to five years.|"
    "Whether {c} will indeed do as it says is a whole different matter.|"
    "Analysts called the move &quot;{adj}&quot; for the {p} maker.|"
    "It isn’t clear yet how {c} plans to pay for {o}."
)
_SLOTS = {
    "c": _COMPANIES, "c2": _COMPANIES, "p": _PRODUCTS, "o": _OBJECTS, "v": _VERBS,
    "place": _PLACES, "adj": _ADJECTIVES, "adj2": _ADJECTIVES, "n": [str(n) for n in range(1, 21)],
}  # fmt: skip
_DATE_FORMS = _vocab(
    '%Y-%m-%dT%H:%M:00Z|"%Y-%m-%dT%H:%M:00Z"|%Y-%m-%d %H:%M:00|%Y-%m-%dT%H:%M:00.000Z'
)
_URL_KEYS = ("sourceUrl",) * 18 + ("originalUrl", "webUrl")
_START = datetime(2019, 1, 1, tzinfo=UTC)
_SPAN_MINUTES = int((datetime(2025, 1, 1, tzinfo=UTC) - _START).total_seconds() // 60) - 1

PROFILES = ("default", "real", "rampup")
# The ramp-up profile: a site's data as a stakeholder first sees it (measured on a real site's
# history): a few stray old articles years back, a thin first month, a dense quarter, and a
# current month still filling up that holds almost half of it; one catch-all topic on 99% of
# the articles, and one syndicator carrying a hundred outlets' names. Shares of the corpus
# per month (year, month, share, last day drawn); the stray articles come before them.
_RAMPUP_STRAY = (0.003, datetime(2012, 1, 1, tzinfo=UTC), datetime(2019, 10, 1, tzinfo=UTC))
_RAMPUP_MONTHS = (
    (2019, 10, 0.015, 31),
    (2019, 11, 0.20, 30),
    (2019, 12, 0.32, 31),
    (2020, 1, 0.46, 14),
)
_RAMPUP_CATCH_ALL = ("AI", 0.99)
_RAMPUP_SYNDICATOR = ("msn.com", 0.035, 100, ("Engadget", 0.12))
# The real profile's shapes, fitted to the measured export (see the module docstring): files
# per article are a rounded lognormal (mu, sigma) redrawn above the measured max, which gives
# median 5, p90 40 and mean 15.8 (see _real_copies); a related list is short (lognormal) in
# most files and long (uniform) in the rest.
_REAL_COPIES = (math.log(5.0), 1.66, 297)
# Versions of an article: a share of its files after the first are byte copies of the one
# before, and a share carry a small edit of its title. They are dated (file mtime) at sorted
# random times after its publication, over a window of `_REAL_VERSION_DAYS` days per file on
# average (at least an hour, and ending at the corpus's end when that comes first).
_REAL_BYTE_COPIES = 0.08
_REAL_TITLE_EDITS = 0.2
_REAL_VERSION_DAYS = 3.0
_REAL_SHORT_RELATED = (math.log(6.0), 0.9, 44)
_REAL_LONG_RELATED = (0.22, 45, 133)
# Stories: the pool is drawn as events of Pareto-many entries (shape, cap); a share of the
# articles cover one each, and that share of their related lists is its other coverage.
# Coverage follows the event's start by an exponential delay (mean, cap; hours), except a
# share of late follow-ups (share, from, to; hours), and a share of headlines is worded apart.
_REAL_EVENT_SIZE = (1.2, 30)
_REAL_EVENT_ARTICLES = 0.8
_REAL_COVERAGE = 1 / 3
_REAL_EVENT_DELAY = (10.0, 48.0)
_REAL_LATE = (0.05, 73.0, 90.0)
_REAL_APART_TITLES = 0.03


def _pick(rng: random.Random, seq):
    # Much cheaper than Random.choice, and just as deterministic.
    return seq[int(rng.random() * len(seq))]


def _slots(rng: random.Random) -> dict[str, str]:
    return {slot: _pick(rng, words) for slot, words in _SLOTS.items()}


def _title(rng: random.Random) -> str:
    # One title in 200 carries a backslash, which YAML must see escaped.
    form = _BACKSLASH_TITLE if rng.random() < 0.005 else _pick(rng, _TITLES)
    return form.format(**_slots(rng))


def _edit_title(rng: random.Random, title: str, final: bool) -> str:
    """A small edit of an article's title, as between two versions of one article.

    Any version may differ in punctuation, apostrophes, dashes or spacing, which leave the
    title's story tokens (contract section 2) as they are. Earlier versions may also carry
    an update note or a typo since fixed, which change them: not the `final` one, so the
    winning file keeps the article's title and its story edges.
    """
    edits: list[str] = []
    if title[-1:].isalnum():
        edits.append(title + ".")
    elif title.rstrip("!.?"):
        edits.append(title.rstrip("!.?"))
    for old, new in (("&#8217;", "'"), ("’", "&#8217;"), ("'", "’"), (" – ", " - ")):
        if old in title:
            edits.append(title.replace(old, new, 1))
            break
    spaces = [m.start() for m in re.finditer(" ", title)]
    if spaces:
        at = _pick(rng, spaces)
        edits.append(title[:at] + "  " + title[at + 1 :])
    if not final:
        edits += ["UPDATE: " + title, title + " (updated)"]
        words = [m.start() for m in re.finditer(r"(?<![&#\w])[A-Za-z]{5,}\b", title)]
        if words:
            at = _pick(rng, words) + 1
            edits.append(title[:at] + title[at + 1] + title[at] + title[at + 2 :])
    edits = [edit for edit in edits if edit != title]
    return _pick(rng, edits) if edits else title


def _zipf(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (k + 1) ** exponent for k in range(n)))


def _quote(text: str) -> str:
    # Double-quoted YAML: only backslash and double quote need escaping in our vocabulary.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", re.sub(r"&[#\w]+;", "", title.lower()))
    return "-".join(words[:10])


def _date_text(rng: random.Random, when: datetime) -> str | None:
    r = rng.random()
    if r < 0.05:
        hours = _pick(rng, (2, -5, 1, 9))
        return f"{when + timedelta(hours=hours):%Y-%m-%dT%H:%M:00}{hours:+03d}:00"
    form = 0 if r < 0.87 else 1 + int((r - 0.87) * 25)
    return None if r >= 0.99 else when.strftime(_DATE_FORMS[form])


def _providers(rng: random.Random) -> list[tuple[str, str, int]]:
    """Return about 400 (name, domain, url style) tuples, most popular first."""
    out = [(n, re.sub(r"\W", "", n.lower()) + ".com", rng.randrange(5)) for n in _KNOWN_PROVIDERS]
    seen = {domain for _, domain, _ in out}
    combos = list(itertools.product(_PREFIXES, _NOUNS))
    rng.shuffle(combos)
    for prefix, noun in combos[:368]:
        the = rng.random() < 0.2
        name = f"The {prefix} {noun}" if the else f"{prefix} {noun}"
        domain = f"{'the' if the else ''}{prefix}{noun}.{_pick(rng, _TLDS)}".lower()
        if domain not in seen:
            seen.add(domain)
            out.append((name, domain, rng.randrange(5)))
    # Shuffle lightly so the well-known names are popular but not in a fixed order.
    return sorted(out[:12], key=lambda _: rng.random()) + out[12:]


class _Corpus:
    """Shared vocabulary and state for one generation run."""

    def __init__(
        self, rng: random.Random, pool_size: int, real: bool = False, truth: bool = False
    ) -> None:
        self.rng = rng
        # url -> (true event, publication time, kind) of every URL written, when asked for:
        # recording draws nothing from rng, so the corpus is the same either way.
        self.truth: dict[str, tuple[str, datetime, str]] | None = {} if truth else None
        # The URL of each pool entry's lines, and the lines of the entries written in a file.
        self.entry_urls: dict[str, str] = {}
        self.written_entries: set[str] = set()
        self.articles_made = 0
        # Pool entries drawn, each its own true event in the default profile; counted apart
        # from the truth, which two entries of one URL share.
        self.entries_made = 0
        self.providers = _providers(rng)
        self.cum = _zipf(len(self.providers), 1.07)
        self.topic_cum = _zipf(len(_TOPICS), 0.8)
        self.sentences = [_pick(rng, _SENTENCES).format(**_slots(rng)) for _ in range(3000)]
        self.seen_urls: set[str] = set()
        self.utm = _UTM_ONLY if real else _UTM
        # The real profile's events (see event_entries); pool_events[k] is pool entry k's.
        self.events: list[dict] = []
        self.pool_events: list[int] = []
        if real:
            entries = sorted(self.event_entries(pool_size), key=lambda e: e[0])
            self.pool_events = [event for _, _, event in entries]
            for k, event in enumerate(self.pool_events):
                self.events[event]["pool"].append(k)
        else:
            entries = sorted((self.related_entry() for _ in range(pool_size)), key=lambda e: e[0])
        self.pool_dates = [entry[0] for entry in entries]
        self.pool = [entry[1] for entry in entries]

    def provider(self) -> tuple[str, str, int]:
        return self.providers[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def paragraph(self, low: int, high: int) -> str:
        n = low + int(self.rng.random() * (high - low + 1))
        return " ".join([_pick(self.rng, self.sentences) for _ in range(n)])

    def excerpt(self) -> str:
        return self.paragraph(2, 4) + (" ..." if self.rng.random() < 0.5 else "")

    def url_parts(self, domain: str, style: int, title: str, when: datetime) -> tuple[str, str]:
        """Return a (path, query) pair not used before in this run."""
        rng, slug = self.rng, _slug(title)
        if rng.random() < 0.015:
            slug = slug.replace("-", " ", 2)
        if style == 0:
            path, query = f"/{when:%Y/%m/%d}/{slug}", ""
        elif style == 1:
            path, query = f"/{_pick(rng, _SECTIONS)}/{slug}-{int(rng.random() * 9e7) + 10**7}", ""
        elif style == 2:
            path, query = f"/news/{slug}", ""
        elif style == 3:
            path, query = "/article", f"id={int(rng.random() * 9e6) + 10**5}"
        else:
            path, query = f"/{when:%Y/%m}/{slug}.html", ""
        while (key := f"{domain}{path.replace(' ', '%20')}?{query}") in self.seen_urls:
            path += f"-{rng.randrange(10**6)}"
        self.seen_urls.add(key)
        return path, query

    def url(self, domain: str, path: str, query: str, messy: bool = True) -> str:
        """Render a URL with cosmetic noise that canonicalisation must undo."""
        rng = self.rng
        if not messy or rng.random() < 0.5:
            return f"https://www.{domain}{path}/" + (f"?{query}" if query else "")
        scheme = "http" if rng.random() < 0.1 else "https"
        host = ("www." if rng.random() < 0.5 else "") + domain
        if rng.random() < 0.03:
            host = host.upper()
        if rng.random() < 0.15:
            query = f"{query}&{_pick(rng, self.utm)}" if query else _pick(rng, self.utm)
        if rng.random() < 0.3:
            path = path.replace(" ", "%20")
        tail = "/" if rng.random() < 0.4 else ""
        frag = "#" + _pick(rng, _FRAGMENTS) if rng.random() < 0.05 else ""
        return f"{scheme}://{host}{path}{tail}" + (f"?{query}" if query else "") + frag

    def images(self, out: list[str], pad: str, domain: str, when: datetime, title: str) -> None:
        rng = self.rng
        w, h = _pick(rng, ((600, 350), (1280, 800), (796, 419), (1200, 675), (640, 480)))
        image = f"https://cdn.{domain}/images/{when:%Y/%m}/{rng.getrandbits(48):012x}.jpg"
        out += [f"{pad}- url: {image}", f"{pad}  width: {w}", f"{pad}  height: {h}"]
        if title:
            out.append(f"{pad}  title: {_quote(title)}")

    def amp(self, out: list[str], pad: str, domain: str, url: tuple[str, str], p: float) -> None:
        if self.rng.random() >= p:
            return
        amp = f"www.{domain}/amp{url[0]}/" + (f"?{url[1]}" if url[1] else "")
        out.append(f"{pad}ampUrl: https://{amp}")
        if self.rng.random() < 0.75:
            cdn = f"www-{domain}".replace(".", "-")
            out.append(f"{pad}cdnAmpUrl: https://{cdn}.cdn.ampproject.org/c/s/{amp}")

    def related_entry(self) -> tuple[datetime, str]:
        """Render one default-profile `related` list entry, returning its date and YAML lines."""
        rng = self.rng
        name, domain, style = self.provider()
        title = _title(rng)
        stamp = _START + timedelta(minutes=int(rng.random() * _SPAN_MINUTES))
        path, query = self.url_parts(domain, style, title, stamp)
        text = self.entry_text(name, domain, title, stamp, (path, query), False)
        if self.truth is not None:
            url = _clean_url(domain, path, query)
            self.truth[url] = (f"entry-{self.entries_made}", stamp, "entry")
            self.entries_made += 1
            self.entry_urls[text] = url
        return stamp, text

    def entry_text(
        self, name: str, domain: str, title: str, stamp: datetime, url: tuple[str, str], full: bool
    ) -> str:
        """Render the YAML lines of a `related` entry for the given outlet, title, time and URL.

        `full` entries carry the longer excerpts, AMP links and images of a real site's
        export, where an entry averages about 930 bytes.
        """
        rng, (path, query) = self.rng, url
        excerpt = self.paragraph(3, 6) + " ..." if full else self.excerpt()
        out = [f"  - title: {_quote(title)}", f"    excerpt: {_quote(excerpt)}"]
        out.append(f"    publishedDateTime: {stamp:%Y-%m-%dT%H:%M:00Z}")
        out.append(f"    sourceUrl: {self.url(domain, path, query, messy=False)}")
        self.amp(out, "    ", domain, (path, query), 0.9 if full else 0.5)
        out.append("    type: article")
        out.append(f"    provider:\n      name: {name}\n      domain: {domain}")
        if rng.random() < 0.85:
            out.append(f"    quality: {self.quality()}")
        if rng.random() < (0.85 if full else 0.6):
            out.append("    images:")
            self.images(out, "      ", domain, stamp, "")
        return "\n".join(out)

    def event_entries(self, size: int) -> Iterator[tuple[datetime, str, int]]:
        """Draw the real profile's pool as events: `size` entries as (time, YAML lines, event).

        An event is one piece of news; each of its entries is another outlet's coverage of
        it (see coverage_title and coverage_time). Events hold 1 to 30 entries, Pareto-sized.
        """
        rng = self.rng
        shape, cap = _REAL_EVENT_SIZE
        made = 0
        while made < size:
            event = self.new_event()
            for _ in range(min(cap, int(rng.paretovariate(shape)), size - made)):
                name, domain, style = self.outlet(event)
                title, stamp = self.coverage_title(event), self.coverage_time(event)
                url = self.url_parts(domain, style, title, stamp)
                text = self.entry_text(name, domain, title, stamp, url, True)
                if self.truth is not None:
                    self.entry_urls[text] = _clean_url(domain, *url)
                    self.truth[self.entry_urls[text]] = (f"event-{event['id']}", stamp, "entry")
                yield stamp, text, event["id"]
                made += 1

    def new_event(self) -> dict:
        """Start an event: its id, slot words, start time, outlets, pool entries, articles.

        `pool` holds the positions of its pool entries and `articles` the related-entry
        lines of the corpus's articles that cover it, as they are drawn.
        """
        late = int(_REAL_LATE[2] * 60)
        start = _START + timedelta(minutes=int(self.rng.random() * (_SPAN_MINUTES - late)))
        event = {"id": len(self.events), "slots": _slots(self.rng), "start": start}
        event.update(domains=set(), pool=[], articles=[])
        self.events.append(event)
        return event

    def outlet(self, event: dict) -> tuple[str, str, int]:
        """A provider that has not covered the event yet (a few tries, then any)."""
        for _ in range(8):
            name, domain, style = self.provider()
            if domain not in event["domains"]:
                break
        event["domains"].add(domain)
        return name, domain, style

    def coverage_title(self, event: dict) -> str:
        """One outlet's headline for the event: mostly its words, now and then its own take."""
        rng = self.rng
        forms = _EVENT_TITLES_APART if rng.random() < _REAL_APART_TITLES else _EVENT_TITLES
        return _pick(rng, forms).format(**event["slots"])

    def coverage_time(self, event: dict) -> datetime:
        """When one outlet covered the event: hours after its start, a few late follow-ups."""
        rng = self.rng
        share, low, high = _REAL_LATE
        if rng.random() < share:
            hours = low + rng.random() * (high - low)
        else:
            mean, cap = _REAL_EVENT_DELAY
            hours = min(cap, rng.expovariate(1 / mean))
        return event["start"] + timedelta(minutes=int(hours * 60))

    def related(self, when: datetime) -> list[str]:
        """Render a `related:` block (a list of lines), or none at all."""
        rng = self.rng
        r = rng.random()
        if 0.006 <= r < 0.43:
            return [] if r < 0.4 else ["", "related: []"]
        n = 100 + int(rng.random() * 66) if r < 0.006 else 1 + min(int(rng.expovariate(0.24)), 40)
        return self.related_block(when, n)

    def real_related(self, article: dict) -> list[str]:
        """Render a `related:` block of the real profile's length distribution.

        For an article that covers an event, part of the block is the event's other coverage.
        """
        rng = self.rng
        share, low, high = _REAL_LONG_RELATED
        if rng.random() < share:
            n = low + int(rng.random() * (high - low + 1))
        else:
            mu, sigma, cap = _REAL_SHORT_RELATED
            n = min(cap, round(rng.lognormvariate(mu, sigma)))
        if n == 0:
            return [] if rng.random() < 0.5 else ["", "related: []"]
        if article["event"] is None:
            return self.related_block(article["when"], n)
        return self.coverage_block(article, n)

    def related_block(self, when: datetime, n: int) -> list[str]:
        """Render a `related:` block of `n` entries from the shared pool."""
        # Related articles are drawn from a shared pool, as in real exports where the same
        # story is recommended next to many others, and mostly precede the article.
        hi = max(bisect.bisect(self.pool_dates, when), 3 * n)
        picks = self.rng.sample(range(max(0, hi - 3 * n - 20), min(hi, len(self.pool))), n)
        entries = [self.pool[k] for k in picks]
        if self.truth is not None:
            self.written_entries.update(entries)
        return ["", "related:"] + entries

    def coverage_block(self, article: dict, n: int) -> list[str]:
        """Render a `related:` block of `n` entries, about a third the event's other coverage.

        That coverage is the event's pool entries and the entries of the other articles that
        cover it; the rest of the block is drawn as in related_block, and the coverage is
        put at random places in it.
        """
        rng, event = self.rng, article["event"]
        others = [entry for entry in event["articles"] if entry is not article["entry"]]
        pool = event["pool"]
        k = min(len(pool) + len(others), int(n * _REAL_COVERAGE + rng.random()))
        chosen = rng.sample(range(len(pool) + len(others)), k)
        taken = {pool[j] for j in chosen if j < len(pool)}
        # Enough picks from the window that n - k remain once the coverage taken is left out.
        hi = max(bisect.bisect(self.pool_dates, article["when"]), 3 * n)
        window = range(max(0, hi - 3 * n - 20), min(hi, len(self.pool)))
        picks = rng.sample(window, n - k + len(taken))
        entries = [self.pool[j] for j in picks if j not in taken][: n - k]
        for j in chosen:
            entry = self.pool[pool[j]] if j < len(pool) else others[j - len(pool)]
            entries.insert(int(rng.random() * (len(entries) + 1)), entry)
        if self.truth is not None:
            self.written_entries.update(entries)
        return ["", "related:"] + entries

    def quality(self) -> int:
        rng = self.rng
        if rng.random() < 0.04:
            return min(219, 100 + int(rng.paretovariate(1.5) * 12) - 12)
        return max(0, min(99, int(rng.gauss(57, 16))))

    def article(self) -> dict:
        """Draw one article's fields of the default profile, its related block rendered."""
        rng = self.rng
        name, domain, style = self.provider()
        title = _title(rng)
        when = _START + timedelta(minutes=int(rng.random() ** 0.85 * _SPAN_MINUTES))
        path, query = self.url_parts(domain, style, title, when)
        topics = self.topics()
        return {
            "name": name, "domain": domain, "title": title, "when": when, "path": path,
            "query": query, "topics": topics,
            "related": self.related(when),
            "category": _pick(rng, ("news",) * 6 + ("review", "opinion", "analysis")),
            "true_event": self.article_event(),
        }  # fmt: skip

    def article_event(self) -> str:
        """A fresh true event for an article that covers no shared event (see write_truth)."""
        self.articles_made += 1
        return f"article-{self.articles_made - 1}"

    def topics(self) -> list[str]:
        """One to five distinct topics, the popular ones more often."""
        rng = self.rng
        k = _pick(rng, (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5))
        topics: list[str] = []
        while len(topics) < k:
            t = _TOPICS[bisect.bisect(self.topic_cum, rng.random() * self.topic_cum[-1])]
            if t not in topics:
                topics.append(t)
        return topics

    def real_article(self) -> dict:
        """Draw one article of the real profile, without its related block.

        Most articles cover the pool's event at their time: another outlet's headline for it,
        published hours after its start. `event` is that event (None for the others), and
        `entry` the article's own lines as a related entry, which the event's other
        articles list as its coverage.
        """
        rng = self.rng
        when = _START + timedelta(minutes=int(rng.random() ** 0.85 * _SPAN_MINUTES))
        event = None
        if rng.random() < _REAL_EVENT_ARTICLES:
            event = self.events[
                self.pool_events[min(bisect.bisect(self.pool_dates, when), len(self.pool) - 1)]
            ]
            name, domain, style = self.outlet(event)
            title, when = self.coverage_title(event), self.coverage_time(event)
        else:
            name, domain, style = self.provider()
            title = _title(rng)
        path, query = self.url_parts(domain, style, title, when)
        article = {
            "name": name, "domain": domain, "title": title, "when": when, "path": path,
            "query": query, "topics": self.topics(), "related": [],
            "category": _pick(rng, ("news",) * 6 + ("review", "opinion", "analysis")),
            "event": event, "entry": None,
            "true_event": self.article_event() if event is None else f"event-{event['id']}",
        }  # fmt: skip
        if event is not None:
            article["entry"] = self.entry_text(name, domain, title, when, (path, query), True)
            event["articles"].append(article["entry"])
            if self.truth is not None:
                entry = (article["true_event"], when, "article")
                self.truth[_clean_url(domain, path, query)] = entry
        return article

    def render(self, a: dict) -> str:
        """Render an article as a content file with a freshly drawn surface form."""
        rng, when, domain = self.rng, a["when"], a["domain"]
        url_key = _pick(rng, _URL_KEYS)
        url = self.url(domain, a["path"], a["query"])
        if self.truth is not None:
            self.truth[url] = (a["true_event"], when, "article")
        lines = ["---", f"category: {a['category']}", f"title: {_quote(a['title'])}"]
        if rng.random() < 0.95:
            lines.append(f"excerpt: {_quote(self.excerpt())}")
        if date := _date_text(rng, when):
            lines.append(f"publishedDateTime: {date}")
        lines.append(f"{url_key}: {url}")
        self.amp(lines, "", domain, (a["path"], a["query"]), 0.45)
        lines.append(f"type: {_pick(rng, ('article',) * 12 + ('video', 'podcast'))}")
        r = rng.random()
        if r < 0.95:  # a few exports wrote quality as a string or a float
            form = "{}" if r < 0.92 else '"{}"' if r < 0.94 else "{}.0"
            lines.append("quality: " + form.format(self.quality()))
        lines.append(f"heat: {-1 if rng.random() < 0.75 else int(rng.expovariate(0.01))}")
        lines.append(f"published: {'true' if rng.random() < 0.6 else 'false'}")
        if rng.random() < 0.98:
            r, name = rng.random(), a["name"]
            name = name if r >= 0.04 else name.lower() if r < 0.02 else name.upper()
            pdomain = "www." + domain if 0.04 <= r < 0.06 else domain
            lines += ["", "provider:", f"  name: {name}", f"  domain: {pdomain}"]
            if rng.random() < 0.8:
                logo = f"/assets/images/organizations/{domain}-50x50.jpg"
                lines += ["  images:", f"    - url: {logo}", "      width: 50", "      height: 50"]
        topics = [
            t.lower() if rng.random() < 0.04 else t.replace(" ", "  ") if rng.random() < 0.03 else t
            for t in a["topics"]
        ]
        if len(topics) == 1 and rng.random() < 0.1:
            lines += ["", f"topics: {topics[0]}"]
        else:
            lines += ["", "topics:"] + [f"  - {t}" for t in topics]
        if rng.random() < 0.55:
            lines += ["", "images:"]
            for _ in range(_pick(rng, (1, 1, 1, 2, 3))):
                self.images(lines, "  ", domain, when, a["title"])
        lines += a["related"]
        if rng.random() < 0.9:
            payload = rng.randbytes(3 * rng.randint(100, 115)), rng.randbytes(16)
            lines += ["", f'secured: "{";".join(base64.b64encode(b).decode() for b in payload)}"']
        lines += ["---", ""]
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 3)):
                lines += [self.paragraph(2, 5), ""]
            if rng.random() < 0.05:
                lines += ["---", "", _pick(rng, self.sentences), ""]
        text = "\n".join(lines)
        # Some exports come from Windows tools (CRLF) or carry a byte-order mark.
        if rng.random() < 0.05:
            text = text.replace("\n", "\r\n")
        if rng.random() < 0.003:
            text = "\ufeff" + text
        return text


def _clean_url(domain: str, path: str, query: str) -> str:
    """The URL `_Corpus.url` renders without noise: the one every related entry carries."""
    return f"https://www.{domain}{path}/" + (f"?{query}" if query else "")


def write_truth(corpus: _Corpus, path: pathlib.Path) -> int:
    """Write the corpus's true events as CSV; return the number of rows.

    One row per canonical URL (pipelines.frontmatter.urls.canonical_url, as the warehouse
    spells it) of every article file and every related entry written (pool entries no file
    lists are left out): `canonical_url`, `event` (the true event's id), `published_at` (the
    URL's true time, ISO 8601 UTC) and `kind` (article or entry). An article whose files
    spell its URL differently after canonicalisation (a kept `ref=` parameter, in the default
    profile) has a row per spelling, of one event. An event's span is its rows' last time
    minus their first.
    """
    from pipelines.frontmatter.urls import canonical_url

    assert corpus.truth is not None
    listed = {
        corpus.entry_urls[text] for text in corpus.written_entries if text in corpus.entry_urls
    }
    rows: dict[str, tuple[str, datetime, str]] = {}
    for url, (event, when, kind) in corpus.truth.items():
        if kind == "entry" and url not in listed:
            continue
        canonical = canonical_url(url)
        if canonical is None:
            continue
        known = rows.get(canonical)
        if known is None or (known[2] == "entry" and kind == "article"):
            rows[canonical] = (event, when, kind)
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("canonical_url", "event", "published_at", "kind"))
        for canonical, (event, when, kind) in rows.items():
            writer.writerow((canonical, event, f"{when:%Y-%m-%dT%H:%M:%SZ}", kind))
    return len(rows)


def _default_files(corpus: _Corpus, files: int) -> Iterator[dict]:
    """The article of each file: mostly distinct, with a few republished ones."""
    rng = corpus.rng
    recent: list[dict] = []
    for i in range(files):
        # About one republication per 150 files, and at least one per 200 so small corpora have one.
        if recent and (i % 200 == 199 or rng.random() < 0.0017):
            article = _pick(rng, recent)
        else:
            article = corpus.article()
            recent.append(article)
            del recent[:-256]
        yield article


def _rampup_time(rng: random.Random, stray: bool) -> datetime:
    """A publication time of the ramp-up profile: a stray one, or one of its months."""
    if stray:
        _, first, last = _RAMPUP_STRAY
        return first + (last - first) * rng.random()
    u = rng.random() * sum(month[2] for month in _RAMPUP_MONTHS)
    for year, month, share, last_day in _RAMPUP_MONTHS:
        if u < share:
            start = datetime(year, month, 1, tzinfo=UTC)
            return start + timedelta(minutes=int(rng.random() * last_day * 1440))
        u -= share
    raise AssertionError("shares exhausted")  # u < the sum of the shares


def _rampup_files(corpus: _Corpus, files: int) -> Iterator[dict]:
    """The articles of the ramp-up profile, each in one file (see _RAMPUP_MONTHS)."""
    rng = corpus.rng
    share, _, _ = _RAMPUP_STRAY
    stray = min(files, max(3, round(files * share)))
    domain, syndicated, outlets, (lead, lead_share) = _RAMPUP_SYNDICATOR
    pairs = itertools.islice(itertools.product(_PREFIXES, _NOUNS), outlets - 1)
    names = [lead] + [f"{prefix} {noun}" for prefix, noun in pairs]
    topic, catch_all = _RAMPUP_CATCH_ALL
    for i in range(files):
        article = corpus.article()
        when = _rampup_time(rng, i < stray)
        name, provider_domain, style = article["name"], article["domain"], 0
        if rng.random() < syndicated:
            outlet = lead if rng.random() < lead_share else _pick(rng, names[1:])
            name, provider_domain, style = f"{outlet} on MSN.com", domain, 2
        topics = [t for t in article["topics"] if t != topic]
        if rng.random() < catch_all:
            topics = [topic, *topics][:5]
        path, query = corpus.url_parts(provider_domain, style, article["title"], when)
        yield dict(
            article, name=name, domain=provider_domain, when=when, path=path, query=query,
            topics=topics or [_pick(rng, _TOPICS[1:])], related=corpus.related(when),
        )  # fmt: skip


def _real_copies(rng: random.Random, files: int) -> list[int]:
    """Files per article for a corpus of `files` files, in the measured export's shape.

    The count is a lognormal rounded to whole files (at least one) and redrawn above the cap,
    so the tail thins out up to it instead of piling up on it. The draw is stratified: of n
    articles (files over the mean count), the i-th takes the count at a random point of the
    distribution's i-th n-quantile, so a corpus of any size has the median, p90 and tail of
    the whole distribution, its largest article near the cap at 150,000 files. Further
    articles are drawn freely when the counts fall short of `files`.
    """
    mu, sigma, cap = _REAL_COPIES
    normal = statistics.NormalDist(mu, sigma)
    top = normal.cdf(math.log(cap + 0.5))  # X < cap + 0.5 rounds to at most the cap

    def count(u: float) -> int:
        return max(1, round(math.exp(normal.inv_cdf(max(u, 1e-12) * top))))

    # The mean count, as the sum over k of P(count >= k).
    mean = 1 + sum(1 - normal.cdf(math.log(k - 0.5)) / top for k in range(2, cap + 1))
    n = max(1, round(files / mean)) if files else 0
    counts = [count((i + rng.random()) / n) for i in range(n)]
    total = sum(counts)
    while total < files:
        counts.append(count(rng.random()))
        total += counts[-1]
    return counts


def _real_files(corpus: _Corpus, files: int) -> Iterator[dict]:
    """The files of a site's export history, each article republished in many versions.

    Yields each file as its article's `when`, its bytes (`data`) and its mtime (`mtime_ns`).
    A version renders its article afresh, with its own related list (and, in `render`, its
    own URL noise, quality and surface form), as each export of an article did; some carry a
    small edit of the title, and some are byte copies of the version before. An article's
    versions are written, and dated, in order, so the last written is the one that wins.
    """
    rng = corpus.rng
    schedule = [k for k, n in enumerate(_real_copies(rng, files)) for _ in range(n)]
    rng.shuffle(schedule)
    del schedule[files:]
    left = collections.Counter(schedule)  # the versions of each article still to write
    end = (_START + timedelta(minutes=_SPAN_MINUTES + 1)).timestamp()
    # Articles are drawn at their first file and dropped after their last, so memory follows
    # the articles in progress, and the bytes of those whose next version copies them.
    versions: dict[int, dict] = {}
    for k in schedule:
        version = versions.get(k)
        if version is None:
            article = corpus.real_article()
            start = article["when"].timestamp()
            window = rng.expovariate(1 / _REAL_VERSION_DAYS) * 86400 * left[k]
            version = {"article": article, "time": start, "copy": None}
            version["end"] = start + max(3600.0, min(end - start, window))
            versions[k] = version
        article, n = version["article"], left[k]
        data = version["copy"]
        if data is None:
            title = article["title"]
            if rng.random() < _REAL_TITLE_EDITS:
                title = _edit_title(rng, title, final=n == 1)
            related = corpus.real_related(article)
            data = corpus.render(dict(article, title=title, related=related)).encode()
            copyable = title == article["title"]
        else:
            copyable = True
        # The next version is a byte copy of this one now and then (never of an edited title,
        # which could then be the final version's).
        version["copy"] = data if n > 1 and copyable and rng.random() < _REAL_BYTE_COPIES else None
        # The earliest of the n versions left, uniform over the rest of the window.
        version["time"] += (version["end"] - version["time"]) * (1 - rng.random() ** (1 / n))
        yield {"when": article["when"], "data": data, "mtime_ns": int(version["time"] * 1e9)}
        left[k] = n - 1
        if n == 1:
            del versions[k]


def generate_corpus(
    out_dir: pathlib.Path,
    articles: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    profile: str = "default",
    truth: pathlib.Path | None = None,
) -> int:
    """Write a deterministic corpus of `articles` content files under out_dir; return the count.

    With `truth`, also write the true event of every URL written to that CSV file (see
    write_truth); the corpus is byte for byte the same with or without it.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown corpus profile {profile!r}; choose one of {', '.join(PROFILES)}")
    out_dir = pathlib.Path(out_dir)
    if profile == "real":
        pool_size = min(max(articles // 2, 1000), 40000)
        corpus = _Corpus(random.Random(seed), pool_size, real=True, truth=truth is not None)
        sequence = _real_files(corpus, articles)
    else:
        pool_size = min(max(articles // 4, 400), 20000)
        corpus = _Corpus(random.Random(seed), pool_size, truth=truth is not None)
        make = _rampup_files if profile == "rampup" else _default_files
        sequence = make(corpus, articles)
    rng = corpus.rng
    made_dirs: set[int] = set()
    # A default-profile item is an article, rendered here; a real-profile one is a rendered
    # file with its mtime (see _real_files).
    for i, item in enumerate(sequence):
        year = item["when"].year
        if year not in made_dirs:
            (out_dir / str(year)).mkdir(parents=True, exist_ok=True)
            made_dirs.add(year)
        path = out_dir / str(year) / f"{i:06d}_{rng.getrandbits(64):016x}.txt"
        # os.open/os.write: about half the cost of Path.write_bytes for many small files.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, item["data"] if "data" in item else corpus.render(item).encode())
        finally:
            os.close(fd)
        if "mtime_ns" in item:
            os.utime(path, ns=(item["mtime_ns"], item["mtime_ns"]))
        if progress is not None and ((i + 1) % 5000 == 0 or i + 1 == articles):
            progress(i + 1, articles)
    if truth is not None:
        write_truth(corpus, truth)
    return articles
