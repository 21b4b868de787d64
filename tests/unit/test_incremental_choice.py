"""Which tables a build takes the delta for: the stories only while few articles changed."""

from __future__ import annotations

from pipelines.models import load_models
from pipelines.store.built import incremental_tables, widen_limit
from pipelines.versions import model_version

MODELS = load_models()
TABLES = {model.table for model in MODELS}
# The last build left every table current with today's models.
PREVIOUS = {model.table: model_version(model.path) for model in MODELS}
WIDENED = {model.table for model in MODELS if model.changes}
ARTICLES = 1_000_000


def chosen(changed: int | None, related_kept: bool = True) -> frozenset[str]:
    return incremental_tables(MODELS, TABLES, PREVIOUS, changed, ARTICLES, related_kept)


STORIES = {"intermediate.int_story_edges", "marts.story_items", "marts.fct_articles"}


def test_the_stories_take_the_delta_while_few_articles_changed():
    assert {"intermediate.int_story_edges", "marts.story_items"} == WIDENED
    few = chosen(widen_limit(ARTICLES))
    assert STORIES | {"staging.stg_articles"} <= few


def test_past_the_limit_the_stories_and_what_reads_them_are_built_whole():
    many = chosen(widen_limit(ARTICLES) + 1)
    assert "staging.stg_articles" in many
    assert not many & STORIES


def test_without_the_deleted_rows_related_urls_the_stories_are_built_whole():
    assert not chosen(1, related_kept=False) & {"marts.story_items", "marts.fct_articles"}
    assert "staging.stg_related_articles" in chosen(1, related_kept=False)


def test_the_limit_is_a_share_of_the_articles_with_a_floor():
    assert widen_limit(ARTICLES) == 50_000
    assert widen_limit(60) == 100
