"""A real headless Chromium (Debian's), and a site built from content that tries to run script."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAGES = ["index", "providers", "topics", "quality", "health"]

# Content text that would run if a page let it: titles (also entity-encoded), a provider
# name, a topic, and a file name. Each calls alert(), so any of them running opens a dialog.
SCRIPT_TITLE = '<script>alert("title")</script>'
IMG_TITLE = "&lt;img src=x onerror=alert(1)&gt;"
PROVIDER = '<img src=x onerror=alert("provider")><b>Evil</b> News'
TOPIC = '<script>alert("topic")</script><br><i>Topic</i>'
BAD_FILE = 'hostile/<svg onload=alert("path")>.txt'


def hostile_files() -> dict[str, str]:
    """Content files whose text is script, in every place a page shows content text.

    The provider and the topic get 40 articles, so that they rank among the leaders that
    the charts show; one article comes in two files, so that its title is in the
    duplicates table.
    """
    front = (
        "---\ntitle: '{title}'\nsourceUrl: https://evil.example.com/{slug}\n"
        "publishedDateTime: 2024-{month:02d}-05T10:00:00Z\nquality: {quality}\n"
        "provider:\n  name: '{provider}'\n  domain: evil.example.com\n"
        "topics:\n  - '{topic}'\n  - Security\n---\nBody.\n"
    )
    cases = [(SCRIPT_TITLE, "one"), (SCRIPT_TITLE, "one"), (IMG_TITLE, "two")]
    cases += [(f"Story {number}", f"story-{number}") for number in range(37)]
    files = {}
    for number, (title, slug) in enumerate(cases):
        files[f"hostile/{number:02d}.txt"] = front.format(
            title=title,
            slug=slug,
            month=1 + number % 12,
            quality=20 + number * 2,
            provider=PROVIDER,
            topic=TOPIC,
        )
    files[BAD_FILE] = "<script>alert('body')</script>\n"
    return files


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboards of 400 generated articles plus the hostile files, built through Dagster."""
    import dagster as dg

    from pipelines.defs.dashboards import dashboards
    from pipelines.defs.ingest import raw_files
    from pipelines.defs.models import warehouse_tables
    from pipelines.generate import generate_corpus
    from pipelines.resources import NewsdwPaths

    root = tmp_path_factory.mktemp("hostile-site")
    content = root / "content"
    generate_corpus(content, 400, seed=23)
    for name, text in hostile_files().items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    result = dg.materialize([raw_files, warehouse_tables(), dashboards], resources={"paths": paths})
    assert result.success
    return root / "warehouse" / "dashboards"


@pytest.fixture(scope="session")
def served(hostile_site: Path):
    """The hostile site over HTTP on localhost, as `newsdw serve` serves it."""
    from dashboards.serve import make_server

    server = make_server(hostile_site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, headless, driven by Playwright; never a downloaded browser.

    Package-scoped: Playwright's sync API keeps an event loop running while it is open, and
    code that calls asyncio.run() (Dagster's automation evaluation) fails under it.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in a fresh browser context, with everything it did recorded."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 800})
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_function(
            "document.querySelectorAll('[data-figure]').length"
            " === document.querySelectorAll('[data-figure][data-rendered]').length",
            timeout=20_000,
        )

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    """Open URLs in fresh contexts; each is closed after the test."""
    opened: list[Visit] = []

    def open_(url: str) -> Visit:
        opened.append(Visit(browser, url))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()
