"""Tests for the synthetic corpus generator (pipelines/generate.py)."""

from __future__ import annotations

import collections
import re
import statistics
from pathlib import Path

import pytest
import yaml

from pipelines.frontmatter.urls import canonical_url, is_http_url
from pipelines.generate import generate_corpus

# The C loader has safe_load's semantics and keeps the 2,000-file checks fast.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_URL_KEYS = ("sourceUrl", "originalUrl", "webUrl")
_NAME = re.compile(r"^(20\d\d)/(\d{6})_([0-9a-f]{16})\.txt$")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _front_matter(data: bytes) -> str:
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].rstrip() == "---"
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return "\n".join(lines[1:end])


def _canonical(urls: list[str]) -> list[str]:
    """Canonical forms, by the warehouse's own rule."""
    return [canonical_url(url) for url in urls]


def _url(doc: dict) -> str:
    return next(doc[k] for k in _URL_KEYS if k in doc)


def _topic_key(label: object) -> str:
    return " ".join(str(label).split()).lower()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, dict]]:
    root = tmp_path_factory.mktemp("corpus")
    assert generate_corpus(root, 2000, seed=7) == 2000
    return {
        name: (data, yaml.load(_front_matter(data), Loader=_SAFE_LOADER))
        for name, data in _files(root).items()
    }


def test_same_seed_gives_identical_corpus(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 300, seed=42)
    generate_corpus(tmp_path / "b", 300, seed=42)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 300
    assert first == second


def test_different_seed_gives_different_corpus(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 300, seed=1)
    generate_corpus(tmp_path / "b", 300, seed=2)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert set(first) != set(second)
    assert sorted(first.values()) != sorted(second.values())


@pytest.mark.parametrize("articles", [0, 1, 199, 450])
def test_writes_exactly_the_requested_number_of_files(tmp_path: Path, articles: int) -> None:
    # Republished duplicates count within `articles`: 450 includes at least two of them.
    assert generate_corpus(tmp_path, articles, seed=3) == articles
    assert len(_files(tmp_path)) == articles


def test_files_are_in_year_folders_with_numbered_names(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 400, seed=5)
    matches = [_NAME.match(name) for name in _files(tmp_path)]
    assert all(matches)
    assert sorted(int(m.group(2)) for m in matches) == list(range(400))
    assert {m.group(1) for m in matches} <= {str(y) for y in range(2019, 2025)}


def test_progress_is_reported_every_5000_files(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate_corpus(
        tmp_path, 5001, seed=0, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(5000, 5001), (5001, 5001)]


def test_every_file_has_a_mapping_with_title_and_url(corpus) -> None:
    assert len(corpus) == 2000
    for name, (_, doc) in corpus.items():
        assert isinstance(doc, dict), name
        assert isinstance(doc.get("title"), str) and doc["title"].strip(), name
        assert any(isinstance(doc.get(k), str) for k in _URL_KEYS), name
        assert is_http_url(_url(doc)), name


def test_file_sizes_average_about_4_kb_with_a_long_tail(corpus) -> None:
    sizes = [len(data) for data, _ in corpus.values()]
    assert 3000 <= statistics.mean(sizes) <= 5500
    assert statistics.median(sizes) < statistics.mean(sizes)
    assert max(sizes) > 60_000


def test_line_endings_and_entities_vary(corpus) -> None:
    crlf = sum(b"\r\n" in data for data, _ in corpus.values())
    assert 0 < crlf < 0.15 * len(corpus)
    texts = [f"{doc['title']} {doc.get('excerpt', '')}" for _, doc in corpus.values()]
    for entity in ("&amp;", "&#8217;", "&quot;"):
        assert any(entity in t for t in texts), entity
    titles = [doc["title"] for _, doc in corpus.values()]
    for char in ('"', ":", "#", "!", "\\"):
        assert any(char in t for t in titles), char


def test_related_lists_range_from_empty_to_over_100(corpus) -> None:
    counts = [len(doc.get("related") or []) for _, doc in corpus.values()]
    assert sum(1 for _, doc in corpus.values() if "related" not in doc) > 0.1 * len(corpus)
    assert max(counts) > 100
    assert statistics.median(counts) < 10
    entry = next(r for _, doc in corpus.values() for r in doc.get("related") or [])
    assert {"title", "sourceUrl", "provider"} <= set(entry)


def test_quality_is_skewed_with_a_tail_and_gaps(corpus) -> None:
    docs = [doc for _, doc in corpus.values()]
    values = [d["quality"] for d in docs if isinstance(d.get("quality"), int)]
    assert sum("quality" not in d for d in docs) > 0
    assert 20 <= statistics.median(values) <= 90
    assert any(v > 100 for v in values)
    assert max(values) <= 219
    assert sum(v > 100 for v in values) < 0.1 * len(values)


def test_heat_and_published_vary(corpus) -> None:
    heats = collections.Counter(doc.get("heat") for _, doc in corpus.values())
    assert heats.most_common(1)[0][0] == -1
    assert len(heats) > 10
    assert {doc.get("published") for _, doc in corpus.values()} == {True, False}


def test_topics_come_from_a_fixed_set_with_label_variants(corpus) -> None:
    per_article = []
    labels: set[str] = set()
    for _, doc in corpus.values():
        topics = doc["topics"] if isinstance(doc["topics"], list) else [doc["topics"]]
        per_article.append(len(topics))
        labels.update(str(t) for t in topics)
    keys = {_topic_key(t) for t in labels}
    assert 15 <= len(keys) <= 50
    assert len(labels) > len(keys)
    assert any("  " in label for label in labels)
    assert min(per_article) == 1
    assert max(per_article) == 5


def test_providers_have_a_long_tail_and_name_variants(corpus) -> None:
    names = collections.defaultdict(set)
    articles = collections.Counter()
    for _, doc in corpus.values():
        provider = doc.get("provider") or {}
        domain = str(provider.get("domain", "")).lower().removeprefix("www.")
        if domain:
            names[domain].add(provider.get("name"))
            articles[domain] += 1
    assert len(articles) > 100
    assert any(len(v) > 1 for v in names.values())
    counts = sorted(articles.values(), reverse=True)
    assert counts[0] > 10 * statistics.median(counts)


def test_urls_are_messy_but_canonicalise_to_a_few_duplicates(corpus) -> None:
    urls = [_url(doc) for _, doc in corpus.values()]
    assert any(" " in u for u in urls)
    assert any(u.startswith("http://") for u in urls)
    assert any("://www." in u for u in urls)
    assert any("utm_source=" in u for u in urls)
    assert any("#" in u for u in urls)
    assert any(u.endswith("/") for u in urls)
    canonical = collections.Counter(_canonical(urls))
    duplicated = sum(n - 1 for n in canonical.values() if n > 1)
    assert len(corpus) // 200 <= duplicated <= len(corpus) // 20
    keys = collections.Counter(next(k for k in _URL_KEYS if k in doc) for _, doc in corpus.values())
    assert set(keys) == set(_URL_KEYS)
    assert keys["sourceUrl"] > 0.8 * len(corpus)


def test_dates_span_several_years_in_several_spellings(corpus) -> None:
    raw = [
        re.search(rb"^publishedDateTime: (.*?)\r?$", _front_matter(data).encode(), re.M)
        for data, _ in corpus.values()
    ]
    spellings = [m.group(1).decode() for m in raw if m]
    assert any(s.startswith('"') for s in spellings)
    assert any(re.search(r"[+-]\d\d:\d\d$", s) for s in spellings)
    assert sum(s.endswith("Z") for s in spellings) > 0.5 * len(corpus)
    years = {s.strip('"')[:4] for s in spellings}
    assert {str(y) for y in range(2019, 2025)} <= years
