"""Deterministic synthetic corpus of news content files, in the contract's section 1 format.

Imitates real exports rather than a uniform sample: long-tailed providers, messy URLs, HTML
entities, CRLF files, other years' field names, republished articles, huge `related` lists.

Two profiles. `default` is a corpus of mostly distinct articles with a light tail of large
files. `real` imitates a news site's whole export history, measured on 156,612 real files:
each article is republished in many files (9,628 articles, 16 files each on average, some in
one file and some in hundreds), and `related` lists are long (median 8, p90 92, up to 133
entries), which makes files of 9 KB median, 89 KB p90 and 27 KB mean.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import math
import os
import pathlib
import random
import re
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

PROFILES = ("default", "real")
# The real profile's shapes, fitted to the measured export (see the module docstring): files
# per article are lognormal (median 6, mean about 16, capped); a related list is short
# (lognormal) in most files and long (uniform) in the rest.
_REAL_COPIES = (1.84, 1.4, 300)
_REAL_SHORT_RELATED = (math.log(6.0), 0.9, 44)
_REAL_LONG_RELATED = (0.22, 45, 133)


def _pick(rng: random.Random, seq):
    # Much cheaper than Random.choice, and just as deterministic.
    return seq[int(rng.random() * len(seq))]


def _slots(rng: random.Random) -> dict[str, str]:
    return {slot: _pick(rng, words) for slot, words in _SLOTS.items()}


def _title(rng: random.Random) -> str:
    # One title in 200 carries a backslash, which YAML must see escaped.
    form = _BACKSLASH_TITLE if rng.random() < 0.005 else _pick(rng, _TITLES)
    return form.format(**_slots(rng))


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

    def __init__(self, rng: random.Random, pool_size: int, real: bool = False) -> None:
        self.rng = rng
        self.providers = _providers(rng)
        self.cum = _zipf(len(self.providers), 1.07)
        self.topic_cum = _zipf(len(_TOPICS), 0.8)
        self.sentences = [_pick(rng, _SENTENCES).format(**_slots(rng)) for _ in range(3000)]
        self.seen_urls: set[str] = set()
        self.utm = _UTM_ONLY if real else _UTM
        entries = sorted(
            (self.related_entry(full=real) for _ in range(pool_size)), key=lambda e: e[0]
        )
        self.pool_dates = [stamp for stamp, _ in entries]
        self.pool = [text for _, text in entries]

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

    def related_entry(self, full: bool = False) -> tuple[datetime, str]:
        """Render one `related` list entry, returning its date and its YAML lines.

        `full` entries carry the longer excerpts, AMP links and images of a real site's
        export, where an entry averages about 930 bytes.
        """
        rng = self.rng
        name, domain, style = self.provider()
        title = _title(rng)
        stamp = _START + timedelta(minutes=int(rng.random() * _SPAN_MINUTES))
        path, query = self.url_parts(domain, style, title, stamp)
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
        return stamp, "\n".join(out)

    def related(self, when: datetime) -> list[str]:
        """Render a `related:` block (a list of lines), or none at all."""
        rng = self.rng
        r = rng.random()
        if 0.006 <= r < 0.43:
            return [] if r < 0.4 else ["", "related: []"]
        n = 100 + int(rng.random() * 66) if r < 0.006 else 1 + min(int(rng.expovariate(0.24)), 40)
        return self.related_block(when, n)

    def real_related(self, when: datetime) -> list[str]:
        """Render a `related:` block of the real profile's length distribution."""
        rng = self.rng
        share, low, high = _REAL_LONG_RELATED
        if rng.random() < share:
            n = low + int(rng.random() * (high - low + 1))
        else:
            mu, sigma, cap = _REAL_SHORT_RELATED
            n = min(cap, round(rng.lognormvariate(mu, sigma)))
        if n == 0:
            return [] if rng.random() < 0.5 else ["", "related: []"]
        return self.related_block(when, n)

    def related_block(self, when: datetime, n: int) -> list[str]:
        """Render a `related:` block of `n` entries from the shared pool."""
        # Related articles are drawn from a shared pool, as in real exports where the same
        # story is recommended next to many others, and mostly precede the article.
        hi = max(bisect.bisect(self.pool_dates, when), 3 * n)
        picks = self.rng.sample(range(max(0, hi - 3 * n - 20), min(hi, len(self.pool))), n)
        return ["", "related:"] + [self.pool[k] for k in picks]

    def quality(self) -> int:
        rng = self.rng
        if rng.random() < 0.04:
            return min(219, 100 + int(rng.paretovariate(1.5) * 12) - 12)
        return max(0, min(99, int(rng.gauss(57, 16))))

    def article(self, with_related: bool = True) -> dict:
        """Draw one article's fields; the related block is rendered eagerly, if wanted."""
        rng = self.rng
        name, domain, style = self.provider()
        title = _title(rng)
        when = _START + timedelta(minutes=int(rng.random() ** 0.85 * _SPAN_MINUTES))
        path, query = self.url_parts(domain, style, title, when)
        k = _pick(rng, (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5))
        topics = []
        while len(topics) < k:
            t = _TOPICS[bisect.bisect(self.topic_cum, rng.random() * self.topic_cum[-1])]
            if t not in topics:
                topics.append(t)
        return {
            "name": name, "domain": domain, "title": title, "when": when, "path": path,
            "query": query, "topics": topics,
            "related": self.related(when) if with_related else [],
            "category": _pick(rng, ("news",) * 6 + ("review", "opinion", "analysis")),
        }  # fmt: skip

    def render(self, a: dict) -> str:
        """Render an article as a content file with a freshly drawn surface form."""
        rng, when, domain = self.rng, a["when"], a["domain"]
        url_key = _pick(rng, _URL_KEYS)
        url = self.url(domain, a["path"], a["query"])
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


def _real_files(corpus: _Corpus, files: int) -> Iterator[dict]:
    """The article of each file of a site's export history, each republished many times.

    Every file renders its article afresh, with its own related list (and, in `render`, its
    own URL noise, quality and surface form), as each export of an article did.
    """
    rng = corpus.rng
    mu, sigma, cap = _REAL_COPIES
    copies: list[int] = []
    total = 0
    while total < files:
        copies.append(min(cap, max(1, round(rng.lognormvariate(mu, sigma)))))
        total += copies[-1]
    schedule = [k for k, n in enumerate(copies) for _ in range(n)]
    rng.shuffle(schedule)
    # Articles are drawn at their first file, so memory follows the distinct articles only.
    articles: dict[int, dict] = {}
    for k in schedule[:files]:
        if k not in articles:
            articles[k] = corpus.article(with_related=False)
        article = articles[k]
        yield dict(article, related=corpus.real_related(article["when"]))


def generate_corpus(
    out_dir: pathlib.Path,
    articles: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    profile: str = "default",
) -> int:
    """Write a deterministic corpus of `articles` content files under out_dir; return the count."""
    if profile not in PROFILES:
        raise ValueError(f"unknown corpus profile {profile!r}; choose one of {', '.join(PROFILES)}")
    out_dir = pathlib.Path(out_dir)
    if profile == "real":
        pool_size = min(max(articles // 2, 1000), 40000)
        corpus = _Corpus(random.Random(seed), pool_size, real=True)
        sequence = _real_files(corpus, articles)
    else:
        corpus = _Corpus(random.Random(seed), pool_size=min(max(articles // 4, 400), 20000))
        sequence = _default_files(corpus, articles)
    rng = corpus.rng
    made_dirs: set[int] = set()
    for i, article in enumerate(sequence):
        year = article["when"].year
        if year not in made_dirs:
            (out_dir / str(year)).mkdir(parents=True, exist_ok=True)
            made_dirs.add(year)
        path = out_dir / str(year) / f"{i:06d}_{rng.getrandbits(64):016x}.txt"
        # os.open/os.write: about half the cost of Path.write_bytes for many small files.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, corpus.render(article).encode())
        finally:
            os.close(fd)
        if progress is not None and ((i + 1) % 5000 == 0 or i + 1 == articles):
            progress(i + 1, articles)
    return articles
