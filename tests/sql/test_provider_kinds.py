"""Outlet kinds (`dim_providers.provider_kind`): a known name first, then the wire rules (the
domain's name, press-release URLs), then a syndicator by its many outlet names, else a
newsroom; worked out by hand from the contract's "Outlet kinds"."""

from __future__ import annotations

from tests.conftest import article
from tests.helpers import build_tables, rows


def _files() -> dict[str, str]:
    files = {}

    def add(key: str, url: str, name: str, domain: str) -> None:
        files[f"{key}.txt"] = article(
            f"Story {key}",
            url,
            publishedDateTime="2024-03-05T10:00:00Z",
            provider=f"{{name: '{name}', domain: {domain}}}",
        )

    # msn.com is known by name, though its articles carry one name only.
    add("msn", "https://msn.com/en-us/news/a", "MSN", "msn.com")
    # A domain that names a wire, and one whose articles are press releases (2 of 3).
    add("wire", "https://acme-newswire.com/story/1", "Acme", "acme-newswire.com")
    for i, path in enumerate(["news-releases/x", "press_release/y", "blog/z"]):
        add(f"corp{i}", f"https://corp.example/{path}", "Corp", "corp.example")
    # One press release in three is a newsroom's, not a wire.
    for i, path in enumerate(["press-release/x", "world/y", "tech/z"]):
        add(f"paper{i}", f"https://paper.example/{path}", "Paper", "paper.example")
    # Ten outlet names under one domain make a syndicator; nine do not.
    for i in range(10):
        add(f"agg{i}", f"https://agg.example/{i}", f"Outlet {i}", "agg.example")
    for i in range(9):
        add(f"few{i}", f"https://few.example/{i}", f"Outlet {i}", "few.example")
    return files


def test_each_outlet_gets_its_kind_by_the_first_rule_that_holds(tmp_path) -> None:
    con = build_tables(tmp_path, _files())
    kinds = dict(rows(con, "select provider_domain, provider_kind from marts.dim_providers"))
    assert kinds == {
        "msn.com": "syndicator",
        "acme-newswire.com": "wire",
        "corp.example": "wire",
        "paper.example": "newsroom",
        "agg.example": "syndicator",
        "few.example": "newsroom",
    }
    known = dict(rows(con, "select provider_domain, provider_kind from seeds.provider_kinds"))
    assert known["prnewswire.com"] == "wire" and known["msn.com"] == "syndicator"
