"""Contract section 1 ("Content files") as tables: one row per parsing or normalisation rule.

Expected values come from /work/shared/spec/warehouse-contract.md, never from running the code.
The rules are called directly (the parser the ingest workers run); a few end-to-end cases at
the end check that a loaded `raw.articles` row is exactly what the rules made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tracemalloc
from pathlib import Path

import pytest

from pipelines.frontmatter import QUARANTINE_KINDS, Refused, parse_article
from tests.helpers import article_row as loaded_row

URL = "https://example.com/a"
BASE = f"title: Hello\nsourceUrl: {URL}\n"
MIB = 1024 * 1024


def doc(front_matter: str, body: str = "Some body text.\n") -> bytes:
    """A content file: `---`, the front matter, `---`, the body."""
    return f"---\n{front_matter}\n---\n{body}".encode()


def with_base(extra: str) -> bytes:
    """A valid file (title and URL) plus `extra` front-matter lines."""
    return doc(BASE + extra)


def article_row(data: bytes) -> dict:
    """The content columns of the `raw.articles` row these bytes become, from the rules alone."""
    row = parse_article(data)
    row["front_matter"] = row["front_matter"].decode()  # as DuckDB hands back its JSON
    return row


def refusal(data: bytes) -> Refused:
    with pytest.raises(Refused) as info:
        article_row(data)
    assert info.value.kind in QUARANTINE_KINDS
    return info.value


# --- encoding -------------------------------------------------------------------------------

ARTICLE_TEXT = f"---\n{BASE}---\nbody\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + ARTICLE_TEXT.encode(), id="utf8-bom-dropped"),
        pytest.param(ARTICLE_TEXT.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(
            b"\xef\xbb\xbf" + ARTICLE_TEXT.replace("\n", "\r\n").encode(), id="bom-and-crlf"
        ),
        pytest.param(f"---\n{BASE}---".encode(), id="closing-marker-at-eof-no-newline"),
    ],
)
def test_accepted_encodings_and_line_endings(data):
    article = article_row(data)
    assert article["title"] == "Hello"
    assert article["source_url"] == URL
    assert article["canonical_url"] == URL


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            "---\ntitle: Café\nsourceUrl: https://example.com/a\n---\n".encode("latin-1"),
            id="latin-1",
        ),
        pytest.param(ARTICLE_TEXT.encode("utf-16"), id="utf-16-with-bom"),
        pytest.param(ARTICLE_TEXT.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(ARTICLE_TEXT.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", id="binary-png"),
        pytest.param(b"---\n" + bytes(range(256)) + b"\n---\n", id="binary-after-marker"),
        pytest.param(b"---\ntitle: Caf\xe9\n---\n", id="latin-1-after-marker"),
    ],
)
def test_non_utf8_is_encoding(data):
    assert refusal(data).kind == "encoding"


# --- front-matter markers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty-file"),
        pytest.param(b"\xef\xbb\xbf", id="only-bom"),
        pytest.param(b"\n", id="only-newline"),
        pytest.param(f"{BASE}---\nbody\n".encode(), id="no-opening-marker"),
        pytest.param(f"\n---\n{BASE}---\n".encode(), id="blank-line-before-marker"),
        pytest.param(f" ---\n{BASE}---\n".encode(), id="leading-space-on-marker"),
        pytest.param(f"----\n{BASE}---\n".encode(), id="four-dashes"),
        pytest.param(f"...\n{BASE}---\n".encode(), id="dots-cannot-open"),
        pytest.param(b"Just a body, no front matter at all.\n", id="plain-text"),
    ],
)
def test_no_front_matter(data):
    assert refusal(data).kind == "no_front_matter"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(f"---   \n{BASE}---\n".encode(), id="trailing-spaces-on-opening"),
        pytest.param(f"---\n{BASE}---   \n".encode(), id="trailing-spaces-on-closing"),
        pytest.param(f"---\n{BASE}...\nbody\n".encode(), id="dots-close"),
        pytest.param(f"---\n{BASE}...  \nbody\n".encode(), id="dots-close-trailing-spaces"),
        pytest.param(
            f"---\n{BASE}---\nintro\n---\ntitle: Other\n---\nmore\n".encode(),
            id="body-contains-dashes-and-yaml",
        ),
        pytest.param(f"---\n{BASE}---\n---\n".encode(), id="body-is-a-marker"),
        pytest.param(f"---\n{BASE}---\n".encode(), id="empty-body"),
    ],
)
def test_markers_accepted(data):
    article = article_row(data)
    assert article["title"] == "Hello"
    assert article["source_url"] == URL


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"---\n", id="only-opening-marker"),
        pytest.param(b"---", id="only-opening-marker-no-newline"),
        pytest.param(f"---\n{BASE}".encode(), id="no-closing-marker"),
        pytest.param(f"---\n{BASE}----\nbody\n".encode(), id="four-dashes-do-not-close"),
        pytest.param(f"---\n{BASE} ---\nbody\n".encode(), id="indented-dashes-do-not-close"),
        pytest.param(f"---\n{BASE}---x\nbody\n".encode(), id="dashes-with-suffix-do-not-close"),
        pytest.param(f"---\n{BASE}....\nbody\n".encode(), id="four-dots-do-not-close"),
    ],
)
def test_unclosed_front_matter(data):
    assert refusal(data).kind == "unclosed_front_matter"


def test_front_matter_ends_at_first_closing_marker():
    article = article_row(
        doc(BASE, body="---\ntitle: Not this one\nsourceUrl: https://other.example/x\n---\n")
    )
    assert article["title"] == "Hello"
    assert article["source_url"] == URL


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param('run: !!python/object/apply:os.system ["echo pwned"]', id="python-apply"),
        pytest.param("run: !!python/name:os.system", id="python-name"),
        pytest.param("run: !!python/object:collections.OrderedDict {}", id="python-object"),
        pytest.param("thing: !custom value", id="local-tag"),
        pytest.param("thing: !custom\n  a: 1", id="local-tag-on-mapping"),
        pytest.param("topics:\n  - AI\n  - !custom x", id="local-tag-in-list"),
        pytest.param("provider:\n  name: !custom X", id="local-tag-nested"),
        pytest.param("blob: !!binary aGVsbG8=", id="binary"),
        pytest.param("tags: !!set {a, b}", id="set"),
        pytest.param("pairs: !!omap [a: 1, b: 2]", id="omap"),
        pytest.param("pairs: !!pairs [a: 1, b: 2]", id="pairs"),
        pytest.param("thing: !<tag:example.com,2000:thing> x", id="verbatim-foreign-tag"),
    ],
)
def test_non_core_tag_is_yaml_error(extra):
    assert refusal(with_base(extra)).kind == "yaml_error"


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param(f"!custom\ntitle: Hello\nsourceUrl: {URL}", id="tag-on-document"),
        pytest.param(f"title: !custom Hello\nsourceUrl: {URL}", id="tag-on-title"),
        pytest.param(f"title: Hello\nsourceUrl: !custom {URL}", id="tag-on-url"),
    ],
)
def test_non_core_tag_on_required_parts_is_yaml_error(front_matter):
    assert refusal(doc(front_matter)).kind == "yaml_error"


@pytest.mark.parametrize(
    ("extra", "column", "expected"),
    [
        pytest.param("quality: !!str 88", "quality", 88, id="str-digits-quality"),
        pytest.param('quality: !!int "88"', "quality", 88, id="int-from-quoted"),
        pytest.param("quality: !!float 88", "quality", 88, id="float-integral-quality"),
        pytest.param("heat: !!int 7", "heat", 7, id="int-heat"),
        pytest.param('published: !!bool "true"', "is_published", True, id="bool-true"),
        pytest.param("published: !!bool false", "is_published", False, id="bool-false"),
        pytest.param("heat: !!null ~", "heat", None, id="null"),
        pytest.param("excerpt: !!str 2020", "excerpt", "2020", id="str-excerpt"),
        pytest.param(
            "publishedDateTime: !!timestamp 2020-01-02T03:04:05Z",
            "published_at",
            dt.datetime(2020, 1, 2, 3, 4, 5),
            id="timestamp",
        ),
        pytest.param("topics: !!seq [AI, ML]", "topics", ["AI", "ML"], id="seq"),
        pytest.param(
            "provider: !!map {name: Acme, domain: acme.com}",
            "provider_domain",
            "acme.com",
            id="map",
        ),
        pytest.param(
            "provider: !!map {name: Acme, domain: acme.com}", "provider_name", "Acme", id="map-name"
        ),
    ],
)
def test_core_tags_are_allowed(extra, column, expected):
    article = article_row(with_base(extra))
    assert article[column] == expected
    assert type(article[column]) is type(expected)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("publishedDateTime: !!timestamp yesterday", id="timestamp-of-text"),
        pytest.param("other: !!timestamp title", id="timestamp-of-word"),
        pytest.param("!!timestamp key: 1", id="timestamp-tag-on-key"),
        pytest.param("published: !!bool maybe", id="bool-of-text"),
        pytest.param('quality: !!int ""', id="int-of-empty"),
        pytest.param("quality: !!int abc", id="int-of-text"),
        pytest.param("quality: !!float abc", id="float-of-text"),
        pytest.param("quality: !!float", id="float-of-nothing"),
        pytest.param("heat: !!null x", id="null-of-text"),
        pytest.param("topics: !!seq abc", id="seq-of-scalar"),
        pytest.param("provider: !!map abc", id="map-of-scalar"),
        pytest.param("x: !!int [1]", id="int-of-list"),
    ],
)
def test_core_tag_with_unfit_value_is_refused_not_crashed(extra):
    """Core tags are allowed, but a value they cannot carry must not escape as another error."""
    try:
        article = article_row(with_base(extra))
    except Refused as error:
        assert error.kind in QUARANTINE_KINDS
    else:
        assert article["title"] == "Hello"


@pytest.mark.parametrize(
    "tagged_line",
    [
        pytest.param("when: !!timestamp 2024-01-01", id="timestamp"),
        pytest.param("when: !!timestamp 2024-01-01T10:00:00Z", id="timestamp-with-time"),
        pytest.param("other: !!str x", id="str"),
        pytest.param("nested:\n  - !!timestamp 2024-01-01", id="timestamp-in-list"),
    ],
)
def test_a_tag_elsewhere_does_not_change_how_the_document_is_typed(tagged_line):
    # YAML 1.2 core schema: `yes` is text (so not a boolean) and 017 is decimal 17.
    plain = article_row(with_base("published: yes\nquality: 017"))
    tagged = article_row(with_base(f"published: yes\nquality: 017\n{tagged_line}"))
    assert (plain["is_published"], plain["quality"]) == (None, 17)
    assert (tagged["is_published"], tagged["quality"]) == (None, 17)
    front_matter = json.loads(tagged["front_matter"])
    assert (front_matter["published"], front_matter["quality"]) == ("yes", 17)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2020-01-02", dt.datetime(2020, 1, 2), id="date"),
        pytest.param("2020-1-2", dt.datetime(2020, 1, 2), id="one-digit-month-and-day"),
        pytest.param(
            "2001-12-14 21:59:43.10 -5", dt.datetime(2001, 12, 15, 2, 59, 43, 100000), id="spaced"
        ),
        pytest.param(
            "2001-12-14t21:59:43.10-05:00",
            dt.datetime(2001, 12, 15, 2, 59, 43, 100000),
            id="lowercase-t",
        ),
        pytest.param('"2020-01-02T03:04:05Z"', dt.datetime(2020, 1, 2, 3, 4, 5), id="quoted"),
    ],
)
def test_timestamp_tag_reads_every_yaml_timestamp_form(value, expected):
    article = article_row(with_base(f"publishedDateTime: !!timestamp {value}"))
    assert article["published_at"] == expected


@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        pytest.param("when: !!timestamp notadate", "notadate", id="text"),
        pytest.param("when: !!timestamp 2024-13-45", "2024-13-45", id="no-such-date"),
        pytest.param("when: !!timestamp [2024-01-01]", "a sequence", id="on-a-list"),
    ],
)
def test_timestamp_tag_on_a_non_timestamp_is_a_yaml_error_naming_it(extra, shown):
    error = refusal(with_base(f"quality: 1\n{extra}"))
    assert error.kind == "yaml_error"
    assert error.line == 5
    assert "line 5" in error.message
    assert "timestamp" in error.message
    assert shown in error.message
    assert "NoneType" not in error.message


@pytest.mark.parametrize(
    ("title_yaml", "expected"),
    [
        pytest.param("Wow!", "Wow!", id="bang-at-end"),
        pytest.param("Wow! Such news", "Wow! Such news", id="bang-in-middle"),
        pytest.param("a ! b", "a ! b", id="spaced-bang"),
        pytest.param('"!important"', "!important", id="quoted-leading-bang"),
        pytest.param("'!!python/object:os.system'", "!!python/object:os.system", id="quoted-tag"),
        pytest.param("!!str 123", "123", id="core-str-tag-on-title"),
    ],
)
def test_exclamation_mark_in_text_is_not_a_tag(title_yaml, expected):
    assert article_row(doc(f"title: {title_yaml}\nsourceUrl: {URL}"))["title"] == expected


# --- YAML errors carry the file line number ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(doc(f"{BASE}bad: a: b"), 4, id="mapping-value-not-allowed"),
        pytest.param(doc(f'title: ok\nx: "a" b\nsourceUrl: {URL}'), 3, id="junk-after-quote"),
        pytest.param(doc(f"title: ok\n- a\nsourceUrl: {URL}"), 3, id="list-item-in-mapping"),
        pytest.param(doc(f"{BASE}provider:\n\tname: X"), 5, id="tab-indented-mapping"),
        pytest.param(doc(f"{BASE}topics:\n\t- AI"), 5, id="tab-indented-list"),
        pytest.param(doc(f"{BASE}title: Again"), 4, id="duplicate-top-level-key"),
        pytest.param(
            doc(f"title: a\ncategory: x\nsourceUrl: {URL}\ncategory: y"), 5, id="duplicate-other"
        ),
        pytest.param(
            doc(f"{BASE}provider:\n  name: A\n  domain: a.com\n  name: B"),
            7,
            id="duplicate-nested-key",
        ),
        pytest.param(
            doc(f"{BASE}related:\n  - title: x\n    title: y"), 6, id="duplicate-in-list-item"
        ),
        pytest.param(doc(f"{BASE}a: {{x: 1, x: 2}}"), 4, id="duplicate-in-flow-mapping"),
        pytest.param(
            ("---\r\n" + f"{BASE}title: Again\n".replace("\n", "\r\n") + "---\r\n").encode(),
            4,
            id="duplicate-key-crlf",
        ),
        pytest.param(b"\xef\xbb\xbf" + doc(f"{BASE}bad: a: b"), 4, id="error-after-bom"),
        pytest.param(doc(f"{BASE}? title: []"), 4, id="mapping-key-holding-a-list"),
        pytest.param(
            doc(f"{BASE}nested:\n  - ? {{a: {{b: 1}}}}\n    : x"),
            5,
            id="mapping-key-holding-a-mapping",
        ),
    ],
)
def test_yaml_error_reports_file_line(data, line):
    error = refusal(data)
    assert error.kind == "yaml_error"
    assert error.line == line
    assert re.search(rf"(?<!\d){line}(?!\d)", error.message), error.message


# --- document shape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param("", id="empty-document"),
        pytest.param("# only a comment", id="only-comment"),
        pytest.param("   ", id="only-spaces"),
        pytest.param("~", id="null"),
        pytest.param("- title: Hello\n- sourceUrl: https://example.com/a", id="list"),
        pytest.param("just some words", id="scalar"),
        pytest.param("42", id="int"),
        pytest.param('"title: Hello"', id="quoted-string"),
    ],
)
def test_not_a_mapping(front_matter):
    assert refusal(doc(front_matter)).kind == "not_a_mapping"


def test_empty_front_matter_block_is_not_a_mapping():
    assert refusal(b"---\n---\nbody\n").kind == "not_a_mapping"


# --- size limits ------------------------------------------------------------------------------

BILLION_LAUGHS = """title: Hello
sourceUrl: https://example.com/a
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]"""

MAPPING_LAUGHS = """title: Hello
sourceUrl: https://example.com/a
a: &a {k1: lol, k2: lol, k3: lol, k4: lol, k5: lol, k6: lol, k7: lol, k8: lol}
b: &b {k1: *a, k2: *a, k3: *a, k4: *a, k5: *a, k6: *a, k7: *a, k8: *a}
c: &c {k1: *b, k2: *b, k3: *b, k4: *b, k5: *b, k6: *b, k7: *b, k8: *b}
d: &d {k1: *c, k2: *c, k3: *c, k4: *c, k5: *c, k6: *c, k7: *c, k8: *c}
e: &e {k1: *d, k2: *d, k3: *d, k4: *d, k5: *d, k6: *d, k7: *d, k8: *d}
f: &f {k1: *e, k2: *e, k3: *e, k4: *e, k5: *e, k6: *e, k7: *e, k8: *e}
g: &g {k1: *f, k2: *f, k3: *f, k4: *f, k5: *f, k6: *f, k7: *f, k8: *f}
h: &h {k1: *g, k2: *g, k3: *g, k4: *g, k5: *g, k6: *g, k7: *g, k8: *g}
i: &i {k1: *h, k2: *h, k3: *h, k4: *h, k5: *h, k6: *h, k7: *h, k8: *h}"""

# One 100 KiB string referenced 20 times: small on disk, about 2 MiB once expanded.
BIG_ANCHOR = f'{BASE}big: &big "{"x" * (100 * 1024)}"\ncopies: [{", ".join(["*big"] * 20)}]'


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param(BILLION_LAUGHS, id="billion-laughs-lists"),
        pytest.param(MAPPING_LAUGHS, id="billion-laughs-mappings"),
        pytest.param(BIG_ANCHOR, id="large-string-aliased"),
    ],
)
def test_alias_bomb_is_too_large_without_expanding_it(front_matter):
    # "Detected cheaply": bounded work shows as bounded memory. Expanded, the lists reach
    # 9**9 nodes and the string 2 MiB; refused, the peak stays a few MiB whatever the machine.
    tracemalloc.start()
    try:
        error = refusal(doc(front_matter))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.kind == "too_large"
    assert "aliases" in error.message
    assert peak < 16 * MIB


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param(f"{BASE}excerpt: {'x' * (MIB + 1024)}", id="one-long-value"),
        pytest.param(BASE + "\n".join(f"k{i}: {'y' * 100}" for i in range(11_000)), id="many-keys"),
    ],
)
def test_front_matter_over_1_mib_is_too_large(front_matter):
    assert len(front_matter) > MIB
    assert refusal(doc(front_matter)).kind == "too_large"


def test_front_matter_well_under_1_mib_is_parsed():
    excerpt = "x" * (MIB // 2)
    assert article_row(with_base(f"excerpt: {excerpt}"))["excerpt"] == excerpt


def test_a_few_aliases_are_fine():
    article = article_row(with_base("tags: &t [AI, ML]\ntopics: *t"))
    assert article["topics"] == ["AI", "ML"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(doc(BASE, body="x" * (8 * MIB)), id="valid-article-with-huge-body"),
        pytest.param(b"\xff" * (8 * MIB + 1), id="huge-binary-not-decoded"),
        pytest.param(b"a" * (8 * MIB + 1), id="huge-without-front-matter-not-parsed"),
    ],
)
def test_file_over_8_mib_is_too_large(data):
    assert len(data) > 8 * MIB
    assert refusal(data).kind == "too_large"


def test_file_of_exactly_8_mib_is_parsed():
    head = doc(BASE, body="")
    data = head + b"x" * (8 * MIB - len(head))
    assert len(data) == 8 * MIB
    assert article_row(data)["title"] == "Hello"


# --- required fields --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "field"),
    [
        pytest.param(f"sourceUrl: {URL}", "title", id="no-title"),
        pytest.param(f"Title: Hello\nsourceUrl: {URL}", "title", id="title-wrong-case"),
        pytest.param("title: Hello", "sourceUrl", id="no-url"),
        pytest.param("title: Hello\nsourceURL: https://example.com/a", "sourceUrl", id="url-case"),
        pytest.param("title: Hello\nampUrl: https://example.com/a", "sourceUrl", id="only-amp"),
    ],
)
def test_missing_field(front_matter, field):
    error = refusal(doc(front_matter))
    assert error.kind == "missing_field"
    assert field in error.message


@pytest.mark.parametrize(
    ("front_matter", "field"),
    [
        pytest.param(f'title: ""\nsourceUrl: {URL}', "title", id="empty-title"),
        pytest.param(f'title: "   "\nsourceUrl: {URL}', "title", id="blank-title"),
        pytest.param(f'title: " \\t\\n "\nsourceUrl: {URL}', "title", id="whitespace-title"),
        pytest.param(f"title: [a, b]\nsourceUrl: {URL}", "title", id="list-title"),
        pytest.param(f"title: {{a: b}}\nsourceUrl: {URL}", "title", id="mapping-title"),
        pytest.param("title: Hello\nsourceUrl: ftp://example.com/a", "sourceUrl", id="ftp"),
        pytest.param("title: Hello\nsourceUrl: /2020/01/story", "sourceUrl", id="relative"),
        pytest.param("title: Hello\nsourceUrl: example.com/a", "sourceUrl", id="no-scheme"),
        pytest.param("title: Hello\nsourceUrl: //example.com/a", "sourceUrl", id="scheme-rel"),
        pytest.param("title: Hello\nsourceUrl: https://", "sourceUrl", id="no-host"),
        pytest.param("title: Hello\nsourceUrl: https:///a/b", "sourceUrl", id="empty-host"),
        pytest.param("title: Hello\nsourceUrl: http:example.com", "sourceUrl", id="opaque"),
        pytest.param("title: Hello\nsourceUrl: mailto:a@example.com", "sourceUrl", id="mailto"),
        pytest.param("title: Hello\nsourceUrl: javascript:alert(1)", "sourceUrl", id="js"),
        pytest.param('title: Hello\nsourceUrl: ""', "sourceUrl", id="empty-url"),
        pytest.param("title: Hello\nsourceUrl: 12345", "sourceUrl", id="int-url"),
        pytest.param(f"title: Hello\nsourceUrl: [{URL}]", "sourceUrl", id="list-url"),
        pytest.param("title: Hello\noriginalUrl: ftp://e.com/a", "originalUrl", id="bad-original"),
        pytest.param("title: Hello\nwebUrl: /a/b", "webUrl", id="bad-web"),
        pytest.param(
            f"title: Hello\nsourceUrl: ftp://e.com/a\noriginalUrl: {URL}",
            "sourceUrl",
            id="first-present-is-used-even-if-bad",
        ),
    ],
)
def test_invalid_field(front_matter, field):
    error = refusal(doc(front_matter))
    assert error.kind == "invalid_field"
    assert field in error.message


@pytest.mark.parametrize(
    ("front_matter", "expected_title"),
    [
        pytest.param(f"title: 2020\nsourceUrl: {URL}", "2020", id="int-title-as-text"),
        pytest.param(f"title: '  Padded  '\nsourceUrl: {URL}", "Padded", id="padded-title"),
        pytest.param("title: Hello\nsourceUrl: HTTP://EXAMPLE.COM/a", "Hello", id="upper-url"),
    ],
)
def test_required_fields_accepted(front_matter, expected_title):
    assert article_row(doc(front_matter))["title"] == expected_title


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        pytest.param({"sourceUrl": "https://s.com/x"}, "https://s.com/x", id="source-only"),
        pytest.param({"originalUrl": "https://o.com/x"}, "https://o.com/x", id="original-only"),
        pytest.param({"webUrl": "https://w.com/x"}, "https://w.com/x", id="web-only"),
        pytest.param(
            {"webUrl": "https://w.com/x", "originalUrl": "https://o.com/x"},
            "https://o.com/x",
            id="original-beats-web",
        ),
        pytest.param(
            {"webUrl": "https://w.com/x", "sourceUrl": "https://s.com/x"},
            "https://s.com/x",
            id="source-beats-web",
        ),
        pytest.param(
            {
                "webUrl": "https://w.com/x",
                "originalUrl": "https://o.com/x",
                "sourceUrl": "https://s.com/x",
            },
            "https://s.com/x",
            id="source-beats-all",
        ),
    ],
)
def test_source_url_key_precedence(urls, expected):
    lines = "\n".join(f"{key}: {value}" for key, value in urls.items())
    article = article_row(doc(f"title: Hello\n{lines}"))
    assert article["source_url"] == expected
    assert article["canonical_url"] == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("sourceUrl", "sourceUrl", id="sourceUrl"),
        pytest.param("originalUrl", "originalUrl", id="originalUrl"),
        pytest.param("webUrl", "webUrl", id="webUrl"),
    ],
)
def test_source_url_key_is_reported(key, expected):
    assert article_row(doc(f"title: Hello\n{key}: {URL}"))["source_url_key"] == expected


# --- field normalisation: published_at --------------------------------------------------------

T = dt.datetime(2020, 1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2020-01-02T03:04:05Z", T, id="yaml-timestamp-z"),
        pytest.param("2020-01-02T05:04:05+02:00", T, id="yaml-timestamp-plus-offset"),
        pytest.param("2020-01-01T22:04:05-05:00", T, id="yaml-timestamp-minus-offset-next-day"),
        pytest.param("2020-01-02 03:04:05", T, id="yaml-timestamp-space-no-zone"),
        pytest.param("2020-01-02T03:04:05", T, id="yaml-timestamp-no-zone"),
        pytest.param(
            "2020-01-02T03:04:05.25Z", T.replace(microsecond=250000), id="yaml-timestamp-fraction"
        ),
        pytest.param("2020-01-02", dt.datetime(2020, 1, 2), id="yaml-date-midnight"),
        pytest.param('"2020-01-02T03:04:05Z"', T, id="string-z"),
        pytest.param('"2020-01-02T05:04:05+02:00"', T, id="string-plus-offset"),
        pytest.param('"2020-01-02T00:04:05-03:00"', T, id="string-minus-offset"),
        pytest.param('"2020-01-02 03:04:05"', T, id="string-space-no-zone"),
        pytest.param('"2020-01-02 03:04:05Z"', T, id="string-space-z"),
        pytest.param('"2020-01-02T03:04:05"', T, id="string-no-zone"),
        pytest.param(
            '"2020-01-02T03:04:05.123456Z"', T.replace(microsecond=123456), id="string-fraction"
        ),
        pytest.param('"2020-01-02"', dt.datetime(2020, 1, 2), id="string-date-midnight"),
        pytest.param(
            '"2020-01-01T23:30:00-02:00"', dt.datetime(2020, 1, 2, 1, 30), id="string-crosses-day"
        ),
        pytest.param('"yesterday"', None, id="garbage-text"),
        pytest.param('"2020-13-45"', None, id="impossible-date"),
        pytest.param('"2020-01-02T25:00:00Z"', None, id="impossible-hour"),
        pytest.param('"02/01/2020"', None, id="not-iso"),
        pytest.param('""', None, id="empty-string"),
        pytest.param("12345", None, id="int"),
        pytest.param("true", None, id="bool"),
        pytest.param("[2020-01-02]", None, id="list"),
        pytest.param("{at: 2020-01-02}", None, id="mapping"),
        pytest.param("~", None, id="null"),
    ],
)
def test_published_at(value, expected):
    published_at = article_row(with_base(f"publishedDateTime: {value}"))["published_at"]
    assert published_at == expected
    if expected is not None:
        assert type(published_at) is dt.datetime
        assert published_at.tzinfo is None


def test_published_at_absent_is_none():
    assert article_row(with_base(""))["published_at"] is None


# --- field normalisation: quality, heat, is_published -----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("88", 88, id="int"),
        pytest.param("0", 0, id="zero"),
        pytest.param("219", 219, id="real-maximum"),
        pytest.param("88.0", 88, id="integral-float"),
        pytest.param("1.0e+3", 1000, id="integral-float-exponent"),
        pytest.param('"88"', 88, id="digit-string"),
        pytest.param("'007'", 7, id="digit-string-leading-zeros"),
        pytest.param("0x58", 88, id="yaml-hex-int"),
        pytest.param("true", None, id="bool-true"),
        pytest.param("false", None, id="bool-false"),
        pytest.param("88.5", None, id="fraction"),
        pytest.param("-3", None, id="negative"),
        pytest.param("-3.0", None, id="negative-float"),
        pytest.param('"-3"', None, id="negative-string"),
        pytest.param('"88.0"', None, id="float-string-is-not-digits"),
        pytest.param('"abc"', None, id="text"),
        pytest.param('""', None, id="empty-string"),
        pytest.param('"²"', None, id="superscript-digit"),
        pytest.param(".inf", None, id="infinity"),
        pytest.param(".nan", None, id="nan"),
        pytest.param("[88]", None, id="list"),
        pytest.param("~", None, id="null"),
    ],
)
def test_quality(value, expected):
    quality = article_row(with_base(f"quality: {value}"))["quality"]
    assert quality == expected
    assert type(quality) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("5", 5, id="positive"),
        pytest.param("0", 0, id="zero"),
        pytest.param("-1", None, id="minus-one-unknown"),
        pytest.param("3.5", None, id="fraction"),
        pytest.param('"abc"', None, id="text"),
        pytest.param("true", None, id="bool"),
        pytest.param("[5]", None, id="list"),
        pytest.param("~", None, id="null"),
    ],
)
def test_heat(value, expected):
    heat = article_row(with_base(f"heat: {value}"))["heat"]
    assert heat == expected
    assert type(heat) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("true", True, id="true"),
        pytest.param("false", False, id="false"),
        pytest.param("True", True, id="capital-true"),
        pytest.param('"true"', None, id="string-true"),
        pytest.param('"false"', None, id="string-false"),
        pytest.param("1", None, id="int-one"),
        pytest.param("0", None, id="int-zero"),
        pytest.param("~", None, id="null"),
        pytest.param("[true]", None, id="list"),
    ],
)
def test_is_published(value, expected):
    is_published = article_row(with_base(f"published: {value}"))["is_published"]
    assert is_published is expected


def test_optional_fields_absent_are_none():
    article = article_row(with_base(""))
    for column in ("excerpt", "quality", "heat", "is_published", "provider_name", "secured_sha256"):
        assert article[column] is None, column
    assert article["topics"] == []


# --- field normalisation: canonical_url ----------------------------------------------------


@pytest.mark.parametrize(
    ("source_url", "expected"),
    [
        pytest.param("HTTPS://example.com/a", "https://example.com/a", id="scheme-lowercased"),
        pytest.param("http://example.com/a", "https://example.com/a", id="http-to-https"),
        pytest.param("HTTP://example.com/a", "https://example.com/a", id="upper-http-to-https"),
        pytest.param("https://EXAMPLE.Com/a", "https://example.com/a", id="host-lowercased"),
        pytest.param("https://example.com/A/B", "https://example.com/A/B", id="path-case-kept"),
        pytest.param("https://www.example.com/a", "https://example.com/a", id="www-removed"),
        pytest.param("https://WWW.Example.com/a", "https://example.com/a", id="upper-www-removed"),
        pytest.param("https://www2.example.com/a", "https://www2.example.com/a", id="www2-kept"),
        pytest.param(
            "https://news.www.example.com/a", "https://news.www.example.com/a", id="inner-www"
        ),
        pytest.param("https://example.com:443/a", "https://example.com/a", id="https-port"),
        pytest.param("http://example.com:80/a", "https://example.com/a", id="http-port"),
        pytest.param("https://example.com:8080/a", "https://example.com:8080/a", id="other-port"),
        pytest.param("https://example.com/a#section", "https://example.com/a", id="fragment"),
        pytest.param("https://example.com/a?x=1#f", "https://example.com/a?x=1", id="frag-query"),
        pytest.param(
            "https://example.com/a?utm_source=x&id=3&utm_medium=y&b=2",
            "https://example.com/a?id=3&b=2",
            id="utm-removed-others-kept",
        ),
        pytest.param(
            "https://example.com/a?utm_source=x&utm_campaign=y",
            "https://example.com/a",
            id="only-utm-no-question-mark",
        ),
        pytest.param("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1", id="order"),
        pytest.param(
            "https://example.com/a?utmost=1", "https://example.com/a?utmost=1", id="utmost-kept"
        ),
        pytest.param("https://example.com/a/", "https://example.com/a", id="trailing-slash"),
        pytest.param(
            "https://example.com/a/b/", "https://example.com/a/b", id="trailing-slash-deep"
        ),
        pytest.param(
            "https://example.com/a/?x=1", "https://example.com/a?x=1", id="trailing-slash-query"
        ),
        pytest.param("https://example.com/a b", "https://example.com/a%20b", id="space-in-path"),
        pytest.param(
            "https://example.com/a?q=x y", "https://example.com/a?q=x%20y", id="space-in-query"
        ),
        pytest.param(
            "HTTP://WWW.Example.COM:80/News/?utm_source=t&id=7#top",
            "https://example.com/News?id=7",
            id="all-rules-together",
        ),
    ],
)
def test_canonical_url(source_url, expected):
    article = article_row(doc(f"title: Hello\nsourceUrl: '{source_url}'"))
    assert article["source_url"] == source_url
    assert article["canonical_url"] == expected


# --- field normalisation: text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("'Fish &amp; Chips'", "Fish & Chips", id="named-entity"),
        pytest.param("'It&#8217;s here'", "It\u2019s here", id="decimal-entity"),
        pytest.param("'It&#x2019;s here'", "It\u2019s here", id="hex-entity"),
        pytest.param("'&lt;b&gt;bold&lt;/b&gt;'", "<b>bold</b>", id="angle-brackets"),
        pytest.param("'&quot;quoted&quot;'", '"quoted"', id="quot"),
        pytest.param("'caf&eacute;'", "café", id="eacute"),
        pytest.param("'&amp;amp;'", "&amp;", id="decoded-once"),
        pytest.param("'   padded   '", "padded", id="spaces-trimmed"),
        pytest.param('"\\t tabs and newlines \\n"', "tabs and newlines", id="whitespace-trimmed"),
        pytest.param("'inner   spaces kept'", "inner   spaces kept", id="inner-whitespace-kept"),
        pytest.param("'  Q&amp;A  '", "Q&A", id="decoded-and-trimmed"),
        pytest.param("'No entities'", "No entities", id="plain"),
    ],
)
@pytest.mark.parametrize("field", ["title", "excerpt"])
def test_text_fields(field, value, expected):
    other = "" if field == "title" else "title: Hello\n"
    article = article_row(doc(f"{other}{field}: {value}\nsourceUrl: {URL}"))
    assert article[field] == expected


# --- field normalisation: provider ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_url", "provider", "expected"),
    [
        pytest.param(URL, "provider:\n  domain: Example.COM", "example.com", id="lowercased"),
        pytest.param(URL, "provider:\n  domain: www.other.com", "other.com", id="www-stripped"),
        pytest.param(URL, "provider:\n  domain: WWW.Other.com", "other.com", id="upper-www"),
        pytest.param(URL, "provider:\n  domain: other.com", "other.com", id="domain-wins"),
        pytest.param("https://www.Foo.com/x", "", "foo.com", id="absent-provider-fallback"),
        pytest.param(
            "https://www.Foo.com/x", "provider:\n  name: Foo", "foo.com", id="absent-domain"
        ),
        pytest.param(
            "http://Foo.com:80/x", "provider:\n  domain: '   '", "foo.com", id="blank-domain"
        ),
        pytest.param(
            "https://foo.com:8443/x", "provider:\n  domain: ''", "foo.com", id="empty-domain"
        ),
        pytest.param("https://foo.com/x", "provider:\n  domain: ~", "foo.com", id="null-domain"),
    ],
)
def test_provider_domain(source_url, provider, expected):
    article = article_row(doc(f"title: Hello\nsourceUrl: {source_url}\n{provider}"))
    assert article["provider_domain"] == expected


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        pytest.param("provider:\n  name: Engadget", "Engadget", id="plain"),
        pytest.param("provider:\n  name: '  Engadget  '", "Engadget", id="trimmed"),
        pytest.param("provider:\n  name: The Next Web", "The Next Web", id="inner-spaces"),
        pytest.param("provider:\n  domain: x.com", None, id="absent-name"),
        pytest.param("provider:\n  name: ~", None, id="null-name"),
        pytest.param("", None, id="absent-provider"),
    ],
)
def test_provider_name(provider, expected):
    assert article_row(with_base(provider))["provider_name"] == expected


# --- field normalisation: topics --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("[AI, Computer Vision]", ["AI", "Computer Vision"], id="flow-list"),
        pytest.param("\n  - AI\n  - Robots", ["AI", "Robots"], id="block-list"),
        pytest.param("AI", ["AI"], id="single-scalar"),
        pytest.param("'  Machine Learning  '", ["Machine Learning"], id="single-scalar-trimmed"),
        pytest.param("['  AI  ', ' Robots']", ["AI", "Robots"], id="trimmed"),
        pytest.param(
            '["Computer   Vision", "Machine\\t\\tLearning", "Deep\\n Learning"]',
            ["Computer Vision", "Machine Learning", "Deep Learning"],
            id="inner-whitespace-collapsed",
        ),
        pytest.param(
            "[AI, '', '   ', ~, null, Robots]", ["AI", "Robots"], id="blanks-nulls-dropped"
        ),
        pytest.param("[]", [], id="empty-list"),
        pytest.param("~", [], id="null"),
        pytest.param("''", [], id="blank-scalar"),
    ],
)
def test_topics(value, expected):
    assert article_row(with_base(f"topics: {value}"))["topics"] == expected


# --- secured and front_matter JSON ------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("abc", id="ascii"),
        pytest.param("nPmr+/x;O6vG9rW2OH79aqSiOlE3cg==", id="base64-like"),
        pytest.param("café ✓", id="non-ascii-utf8"),
    ],
)
def test_secured_only_hash_kept(payload):
    article = article_row(with_base(f"secured: {json.dumps(payload)}"))
    assert article["secured_sha256"] == hashlib.sha256(payload.encode("utf-8")).hexdigest()
    front_matter = json.loads(article["front_matter"])
    assert "secured" not in front_matter
    assert payload not in article["front_matter"]
    assert all(payload != value for value in article.values())


@pytest.mark.parametrize(
    ("extra", "key", "expected"),
    [
        pytest.param("ampUrl: https://e.com/amp/a", "ampUrl", "https://e.com/amp/a", id="string"),
        pytest.param("views: 12345", "views", 12345, id="int"),
        pytest.param("ratio: 1.5", "ratio", 1.5, id="float"),
        pytest.param("flag: true", "flag", True, id="bool"),
        pytest.param("nothing: ~", "nothing", None, id="null"),
        pytest.param("emoji: 'café ✓ 日本'", "emoji", "café ✓ 日本", id="unicode"),
        pytest.param("raw: 'Fish &amp; Chips  '", "raw", "Fish &amp; Chips  ", id="not-normalised"),
        pytest.param(
            "custom:\n  a: [1, 2, {b: ~, c: [x, y]}]\n  d: {e: f}",
            "custom",
            {"a": [1, 2, {"b": None, "c": ["x", "y"]}], "d": {"e": "f"}},
            id="nested",
        ),
        pytest.param("empty: []", "empty", [], id="empty-list"),
    ],
)
def test_other_keys_kept_losslessly_in_front_matter(extra, key, expected):
    front_matter = json.loads(article_row(with_base(extra))["front_matter"])
    assert front_matter[key] == expected
    assert type(front_matter[key]) is type(expected)


def test_front_matter_has_every_key_but_secured():
    article = article_row(
        with_base(
            "ampUrl: https://e.com/amp\ncategory: news\nquality: 5\nsecured: xyz\n"
            "publishedDateTime: 2020-01-02T03:04:05Z\nprovider:\n  name: P\ntopics: [AI]"
        )
    )
    keys = set(json.loads(article["front_matter"]))
    assert keys == {
        "title",
        "sourceUrl",
        "ampUrl",
        "category",
        "quality",
        "publishedDateTime",
        "provider",
        "topics",
    }


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("updated: 2020-01-02T03:04:05Z", id="timestamp-value"),
        pytest.param("day: 2020-01-02", id="date-value"),
        pytest.param("1: one\n2.5: two", id="number-keys"),
        pytest.param("~: nothing", id="null-key"),
        pytest.param("true: yes", id="bool-key"),
        pytest.param("big: 123456789012345678901234567890", id="huge-int"),
    ],
)
def test_front_matter_is_always_json(extra):
    article = article_row(with_base(extra))
    assert isinstance(json.loads(article["front_matter"]), dict)


def test_complex_key_is_json_or_refused():
    try:
        article = article_row(with_base("? [a, b]\n: c"))
    except Refused as error:
        assert error.kind in QUARANTINE_KINDS
    else:
        assert isinstance(json.loads(article["front_matter"]), dict)


# --- the real example file --------------------------------------------------------------------

SECURED = (
    "nPmrxLw1YEYOS0KfN6OSqiHZr4dpGBoE14P2IjqmHIFvZKE49TbTn6XKH++shq2Rb2pZTICpYPUblFi/GmOobhQl"
    "aCtB6TAGOnRgOaqYaLg1FILVl57D2WZ5Q2EoRlL558CS+lYD7LbhIp/e3CxdduaQqMJkWr0Y8u9lTdyDTogrxcV2"
    "CfgTCfFMBqsr5XzfJ+Rw04+HDQthYWqa9gzqp9DEdy87LOnpZmkOA7ra27HwZFiafB1VZUG9Mnn1SdlKfx9QOiOq"
    "WQpjDzJZvCCEC0HHvx0pPoom7W2965usNy/Mksn2X8gD0Z/C3tEWzCBl;O6vG9rW2OH79aqSiOlE3cg=="
)
EXAMPLE_IMAGE = (
    "https://o.aolcdn.com/images/dims?thumbnail=600%2C350&quality=80&image_uri=https%3A%2F%2F"
    "o.aolcdn.com%2Fimages%2Fdims%3Fcrop%3D5760%252C3840%252C0%252C0%26quality%3D85%26format"
    "%3Djpg%26resize%3D1600%252C1067%26image_uri%3Dhttps%253A%252F%252Fs.yimg.com%252Fos%252F"
    "creatr-images%252F2019-10%252Fc5114770-e5eb-11e9-a9df-f281948b7062%26client%3Da1acac3e1b"
    "3290917d92%26signature%3D2f7e99f345791a940f75a8565dcf76868e4974ae&client=amp-blogside-v2"
    "&signature=2998c7c1c78777521b7e4451311fe444f830f18e"
)
# The spec's real example file, kept in the repo's fixtures.
EXAMPLE = (Path(__file__).resolve().parents[1] / "fixtures" / "example.txt").read_text()


@pytest.fixture(scope="module")
def example():
    # End to end: the real file through ingest and load, as a build reads it.
    return loaded_row(EXAMPLE.encode())


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (
            "title",
            "London police begin using live facial recognition tech across the capital",
        ),
        ("category", "news"),
        ("type", "article"),
        (
            "source_url",
            "https://www.engadget.com/2020/01/24/london-police-live-facial-recognition-public-streets/",
        ),
        ("source_url_key", "sourceUrl"),
        (
            "canonical_url",
            "https://engadget.com/2020/01/24/london-police-live-facial-recognition-public-streets",
        ),
        ("published_at", dt.datetime(2020, 1, 24, 12, 5)),
        ("quality", 88),
        ("heat", None),
        ("is_published", False),
        ("provider_name", "Engadget"),
        ("provider_domain", "engadget.com"),
        ("topics", ["AI", "Computer Vision"]),
        ("secured_sha256", hashlib.sha256(SECURED.encode()).hexdigest()),
    ],
)
def test_real_example_columns(example, column, expected):
    assert example[column] == expected


def test_real_example_excerpt(example):
    assert example["excerpt"].startswith("Meanwhile, Europe wants to ban the technology")
    assert example["excerpt"].endswith("According to the Met ...")


def test_real_example_images(example):
    assert len(example["images"]) == 1
    image = example["images"][0]
    assert image["url"] == EXAMPLE_IMAGE
    assert (image["width"], image["height"]) == (600, 350)
    assert image["title"] == (
        "London police begin using live facial recognition tech across the capital"
    )


def test_real_example_related(example):
    related = example["related"]
    assert [r["canonical_url"] for r in related] == [
        "https://slashgear.com/facebook-messenger-may-soon-use-face-recognition-to-lock-the-app-24607595",
        "https://thenextweb.com/artificial-intelligence/2020/01/20/"
        "the-next-big-privacy-scare-is-a-face-recognition-tool-youve-never-heard-of",
    ]
    assert [r["title"] for r in related] == [
        "Facebook Messenger may soon use face recognition to lock the app",
        "The next big privacy scare is a face recognition tool you\u2019ve never heard of",
    ]
    assert [r["quality"] for r in related] == [89, 67]
    assert [r["provider_domain"] for r in related] == ["slashgear.com", "thenextweb.com"]
    assert [r["provider_name"] for r in related] == ["SlashGear", "The Next Web"]
    assert [r["published_at"] for r in related] == [
        dt.datetime(2020, 1, 24, 5, 58),
        dt.datetime(2020, 1, 20, 6, 22),
    ]
    assert related[0]["source_url"] == (
        "https://www.slashgear.com/facebook-messenger-may-soon-use-face-recognition-to-lock-the-app-24607595/"
    )


def test_real_example_front_matter_json(example):
    front_matter = json.loads(example["front_matter"])
    assert "secured" not in front_matter
    assert front_matter["ampUrl"] == (
        "https://www.engadget.com/amp/2020/01/24/london-police-live-facial-recognition-public-streets/"
    )
    assert front_matter["provider"]["images"] == [
        {"url": "/assets/images/organizations/engadget.com-50x50.jpg", "width": 50, "height": 50}
    ]
    assert front_matter["related"][1]["quality"] == 67
    assert front_matter["heat"] == -1


def test_nesting_too_deep_for_json_is_a_yaml_error():
    nested = "".join("  " * depth + "k:\n" for depth in range(1, 400))
    with pytest.raises(Refused) as refused:
        article_row(with_base(f"deep:\n{nested}"))
    assert refused.value.kind == "yaml_error"
    assert "deeper" in refused.value.message


# --- end to end: a loaded row is what the rules made ------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + ARTICLE_TEXT.replace("\n", "\r\n").encode(), id="bom-crlf"),
        pytest.param(
            with_base(
                "publishedDateTime: 2020-01-02T03:04:05+02:00\nquality: '88'\nheat: -1\n"
                "published: true\ntopics: [' AI ', 'Machine   Learning', '']\n"
                "provider: {name: ' Acme ', domain: WWW.Acme.com}\nexcerpt: a &amp; b"
            ),
            id="normalised-scalars",
        ),
        pytest.param(
            with_base(
                "images:\n  - {url: /i.jpg, width: '600', height: -1, title: ' T '}\n  - /j.jpg\n"
                "related:\n  - title: R &amp; S\n    webUrl: http://www.R.com/x/\n"
                "    publishedDateTime: 2020-01-01\n    quality: 5.0\n  - notamapping"
            ),
            id="images-and-related",
        ),
        pytest.param(
            with_base("when: !!timestamp 2020-1-2\nsecured: s3cret\nextra: {a: [1, null]}"),
            id="tagged-secured-extra",
        ),
    ],
)
def test_the_loaded_row_is_what_the_rules_made(data):
    loaded = loaded_row(data)
    parsed = article_row(data)
    assert {name: loaded[name] for name in parsed if name != "front_matter"} == {
        name: value for name, value in parsed.items() if name != "front_matter"
    }
    assert json.loads(loaded["front_matter"]) == json.loads(parsed["front_matter"])
