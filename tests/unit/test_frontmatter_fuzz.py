"""Property tests: parse_article returns a dict or raises Refused, whatever the bytes."""

from __future__ import annotations

import html
import json

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipelines.frontmatter import QUARANTINE_KINDS, Refused, parse_article
from pipelines.frontmatter.urls import canonical_url, is_http_url
from tests.helpers import article_row

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Each example runs a whole ingest and DuckDB load: fewer, still varied.
FULL_PIPELINE = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def parse_or_refuse(data: bytes) -> dict | None:
    """The contract's promise for any input: a dict of columns, or Refused with a known kind."""
    try:
        article = parse_article(data)
    except Refused as error:
        assert error.kind in QUARANTINE_KINDS
        assert error.kind not in ("symlink", "unreadable")  # only the file system gives these
        assert isinstance(error.message, str)
        assert error.message
        assert error.line is None or (isinstance(error.line, int) and error.line >= 1)
        return None
    assert isinstance(article, dict)
    assert isinstance(article["title"], str)
    assert article["title"] == article["title"].strip()
    assert article["title"]
    assert isinstance(json.loads(article["front_matter"]), dict)
    return article


# --- (a) arbitrary bytes ----------------------------------------------------------------------

MARKERS = st.sampled_from([b"", b"---\n", b"---\r\n", b"\xef\xbb\xbf---\n", b"--- \n"])
CLOSERS = st.sampled_from([b"", b"\n---\n", b"\r\n---\r\n", b"\n...\n", b"\n---"])


@FUZZ
@given(head=MARKERS, middle=st.binary(max_size=2000), tail=CLOSERS, body=st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(head, middle, tail, body):
    parse_or_refuse(head + middle + tail + body)


@FUZZ
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=500)
)
def test_arbitrary_text_in_markers_never_crashes(text):
    parse_or_refuse(f"---\n{text}\n---\n".encode())


# --- (b) YAML-ish text: dumped structures with hostile tokens spliced in -----------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.datetimes().map(lambda d: d.isoformat())
    | st.sampled_from(
        ["88", "88.0", "-1", "https://www.example.com/a/?utm_source=x#f", "&amp;", "  ", "Wow!"]
    )
)
KEYS = st.sampled_from(
    [
        "title",
        "sourceUrl",
        "originalUrl",
        "webUrl",
        "excerpt",
        "publishedDateTime",
        "quality",
        "heat",
        "published",
        "provider",
        "name",
        "domain",
        "topics",
        "images",
        "related",
        "secured",
        "url",
        "width",
        "height",
    ]
) | st.text(min_size=1, max_size=10)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)
SPLICES = st.sampled_from(
    [
        "!!python/object/apply:os.system ['true'] ",
        "!!python/name:os.system ",
        "!custom ",
        "!!binary ",
        "!!set ",
        "!!str ",
        "!!int ",
        "!!float ",
        "!!timestamp ",
        "!!map ",
        "!!seq ",
        "!<tag:yaml.org,2002:str> ",
        "&a ",
        "*a",
        "*b",
        "&b [*a, *a, *a] ",
        "<<: *a\n",
        "\t",
        "\n\t",
        "? ",
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "'",
        '"',
        "#",
        "|",
        ">",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "\n",
        "\r\n",
        "\x00",
        "\ufeff",
        "title: x\n",
        "title: y\n",
        "sourceUrl: https://example.com/\n",
    ]
)


@st.composite
def yamlish(draw) -> str:
    """A safe_dump'ed mapping with a title and URL, then hostile tokens inserted at random."""
    mapping = draw(st.dictionaries(KEYS, VALUES, max_size=8))
    if draw(st.booleans()):
        mapping = {"title": draw(SCALARS), "sourceUrl": draw(SCALARS), **mapping}
    text = yaml.safe_dump(mapping, allow_unicode=draw(st.booleans()), sort_keys=False)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:position] + draw(SPLICES) + text[position:]
    return text


@FUZZ
@given(text=yamlish(), crlf=st.booleans(), body=st.text(max_size=100))
def test_yamlish_front_matter_never_crashes(text, crlf, body):
    data = f"---\n{text}\n---\n{body}"
    if crlf:
        data = data.replace("\n", "\r\n")
    parse_or_refuse(data.encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=12),
    width=st.integers(min_value=1, max_value=12),
)
def test_alias_fan_out_never_crashes_or_hangs(depth, width):
    lines = ["title: Hello", "sourceUrl: https://example.com/a", "l0: &l0 [lol]"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    article = parse_or_refuse(("---\n" + "\n".join(lines) + "\n---\n").encode())
    leaves = width**depth
    if leaves > 2**21:  # each leaf is at least 3 bytes: well over 1 MiB once expanded
        assert article is None
    elif leaves < 2**12:  # a few tens of KiB once expanded
        assert article is not None


# --- (c) well-formed documents ----------------------------------------------------------------

ENTITIES = st.sampled_from(["&amp;", "&#8217;", "&#x2019;", "&lt;", "&gt;", "&quot;", "&eacute;"])
WORDS = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
        exclude_characters="\ufeff",
    ),
    min_size=1,
    max_size=12,
)
PADDING = st.text(alphabet=" \t", max_size=3)
# Control characters (NUL above all) would make the file binary rather than text.
BODIES = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
    max_size=200,
)


@st.composite
def titles(draw) -> str:
    """A title of words and HTML entities, possibly padded; never blank once decoded."""
    parts = draw(st.lists(WORDS | ENTITIES, min_size=1, max_size=6))
    separators = draw(st.lists(st.sampled_from([" ", "", "  "]), min_size=len(parts)))
    inner = "".join(part + sep for part, sep in zip(parts, separators, strict=False)).strip(" ")
    return draw(PADDING) + inner + draw(PADDING)


HOSTS = st.from_regex(r"(www\.)?[a-z][a-z0-9-]{0,10}\.(com|org|co\.uk|news)", fullmatch=True)
# No dot-only segments and at least one segment: the contract leaves `..` and a bare `/` open.
PATHS = st.lists(
    st.from_regex(r"[A-Za-z0-9_~-][A-Za-z0-9_.~-]{0,11}", fullmatch=True), min_size=1, max_size=4
)


@st.composite
def urls(draw) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    path = "/".join(draw(PATHS))
    slash = draw(st.sampled_from(["", "/"]))
    return f"{scheme}://{draw(HOSTS)}/{path}{slash}"


EXTRAS = st.dictionaries(
    st.sampled_from(["excerpt", "category", "type", "ampUrl", "views", "custom", "topics"]),
    VALUES,
    max_size=4,
)


@FULL_PIPELINE
@given(
    title=titles(),
    url=urls(),
    url_key=st.sampled_from(["sourceUrl", "originalUrl", "webUrl"]),
    extras=EXTRAS,
    allow_unicode=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    body=BODIES,
)
def test_well_formed_documents_parse(title, url, url_key, extras, allow_unicode, crlf, bom, body):
    expected_title = html.unescape(title).strip()
    assume(expected_title)
    mapping = {"title": title, url_key: url, **extras}
    front_matter = yaml.safe_dump(
        mapping, allow_unicode=allow_unicode, sort_keys=False, width=10**9
    )
    text = f"---\n{front_matter}---\n{body}"
    if crlf:
        text = text.replace("\n", "\r\n")
    data = ("\ufeff" if bom else "") + text
    article = article_row(data.encode("utf-8", "surrogatepass"))
    assert article is not None
    assert article["title"] == expected_title
    assert article["source_url"] == url
    assert article["source_url_key"] == url_key
    host = url.split("/")[2].removeprefix("www.")
    assert article["canonical_url"].startswith(f"https://{host}/")
    assert not article["canonical_url"].endswith("/") or article["canonical_url"].count("/") == 3
    assert article["provider_domain"] == host


# --- (d) the URL check and the SQL canonical form agree -------------------------------------

URL_TEXT = st.one_of(
    st.text(max_size=60),
    st.builds(
        "".join,
        st.lists(
            st.sampled_from(
                [
                    "http",
                    "HTTPS",
                    "ftp",
                    "://",
                    ":",
                    "/",
                    "@",
                    "[",
                    "]",
                    "::1",
                    "www.",
                    "Ex.com",
                    "a",
                    " ",
                    "?",
                    "&",
                    "utm_x=1",
                    "=",
                    "#",
                    "80",
                    "443",
                    "%20",
                    "é",
                    "\\",
                ]
            ),
            max_size=14,
        ),
    ),
)


@FUZZ
@given(url=URL_TEXT)
def test_every_url_the_parser_accepts_has_a_canonical_form(url):
    canonical = canonical_url(url)
    if is_http_url(url):
        assert canonical is not None and canonical.startswith("https://")
        assert " " not in canonical and "#" not in canonical
