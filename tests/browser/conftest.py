"""A real headless Chromium (Debian's), and a site built from content that tries to run script."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAGES = ["index", "providers", "topics", "quality", "stories", "health"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

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


def sparse_files() -> dict[str, str]:
    """One article in 2013, five empty years, then two years of dense months and a thin start
    of the next one: the corpus on which lines were once drawn across empty months.

    Three providers and four topics; some months have fewer than 5 articles.
    """
    front = (
        "---\ntitle: '{title}'\nsourceUrl: https://{domain}/{slug}\n"
        "publishedDateTime: {when}\nquality: {quality}\n"
        "provider:\n  name: {name}\n  domain: {domain}\n"
        "topics:\n{topics}---\nBody.\n"
    )
    providers = [("Alpha News", "alpha.example.com"), ("Beta Daily", "beta.example.org")]
    providers += [("Gamma Wire", "gamma.example.net")]
    topic_names = ["Climate", "Elections", "Space", "Health"]
    files = {
        "2013/lonely.txt": front.format(
            title="The only article of 2013",
            domain="alpha.example.com",
            slug="2013",
            when="2013-06-10T09:00:00Z",
            quality=70,
            name="Alpha News",
            topics="  - Climate\n",
        )
    }
    number = 0
    for year in (2018, 2019):
        for month in range(1, 13):
            # A thin month (3 articles) every fifth month, otherwise 6 to 17.
            count = 3 if month % 5 == 0 else 6 + (month * 7 + year) % 12
            for day in range(count):
                name, domain = providers[(day + month) % 3]
                picked = [topic_names[(day + k) % 4] for k in range(1 + day % 3)]
                files[f"{year}/{month:02d}/{day:02d}.txt"] = front.format(
                    title=f"Report {number} on {picked[0]}",
                    domain=domain,
                    slug=f"{year}-{month}-{day}",
                    when=f"{year}-{month:02d}-{1 + day:02d}T08:00:00Z",
                    quality=10 + (number * 13) % 110,
                    name=name,
                    topics="".join(f"  - {topic}\n" for topic in picked),
                )
                number += 1
    for day in range(2):  # the latest month, still arriving
        files[f"2020/01/{day:02d}.txt"] = front.format(
            title=f"Early report {day}",
            domain="beta.example.org",
            slug=f"2020-{day}",
            when=f"2020-01-0{1 + day}T08:00:00Z",
            quality=55,
            name="Beta Daily",
            topics="  - Space\n",
        )
    return files


def build_site_of(root: Path, files: dict[str, str], generated: dict | None = None) -> Path:
    """The warehouse folder of `files` (and a generated corpus), built through Dagster."""
    import dagster as dg

    from pipelines.defs.dashboards import dashboards
    from pipelines.defs.ingest import raw_files
    from pipelines.defs.models import warehouse_tables
    from pipelines.generate import generate_corpus
    from pipelines.resources import NewsdwPaths

    content = root / "content"
    for folder, options in (generated or {}).items():
        generate_corpus(content / folder, **options)
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    paths = NewsdwPaths(content_dir=str(content), warehouse_dir=str(root / "warehouse"))
    result = dg.materialize([raw_files, warehouse_tables(), dashboards], resources={"paths": paths})
    assert result.success
    return root / "warehouse"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboards of 400 generated articles plus the hostile files, built through Dagster."""
    root = tmp_path_factory.mktemp("hostile-site")
    generated = {"": {"articles": 400, "seed": 23}}
    return build_site_of(root, hostile_files(), generated) / "dashboards"


@pytest.fixture(scope="session")
def sparse_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse folder (with its dashboards) of the sparse corpus."""
    return build_site_of(tmp_path_factory.mktemp("sparse-site"), sparse_files())


@pytest.fixture(scope="session")
def generated_site_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse folder (with its dashboards) of a generated corpus of both profiles."""
    generated = {
        "news": {"articles": 800, "seed": 41},
        "site-history": {"articles": 2500, "seed": 41, "profile": "real"},
    }
    return build_site_of(tmp_path_factory.mktemp("generated-site"), {}, generated)


@pytest.fixture(scope="session")
def rampup_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse folder (with its dashboards) of a site's data as first seen: stray old
    articles, a thin first month, a dense quarter, a partial current month."""
    generated = {"": {"articles": 3000, "seed": 13, "profile": "rampup"}}
    return build_site_of(tmp_path_factory.mktemp("rampup-site"), {}, generated)


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

    def __init__(self, browser, url: str, viewport: str = "desktop") -> None:
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True)
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
        self.wait()

    def wait(self) -> None:
        """Wait until every section of the page is drawn for the current inputs.

        A selector, not wait_for_function: the pages' CSP forbids the eval that polls it.
        """
        self.page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    """Open URLs in fresh contexts; each is closed after the test."""
    opened: list[Visit] = []

    def open_(url: str, viewport: str = "desktop") -> Visit:
        opened.append(Visit(browser, url, viewport))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()
