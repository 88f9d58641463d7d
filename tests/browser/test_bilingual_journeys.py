"""A reader's journey in each language, on a desktop and on a phone: sign up, filter, search,
bookmark, write a note with mathematics, switch language. axe-core checks each page in light
and dark, and the screenshots for the README are saved under docs/screenshots/."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from resources.models import Annotation, Bookmark, Kind, ReaderProfile
from tests.browser.conftest import run_axe
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PASSWORD = "a quite different passphrase 42"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# What the reader reads and clicks, in each language.
UI = {
    "zh-CN": {
        "html_lang": "zh-Hans",
        "sign_up": "注册",
        "username": "用户名",
        "email": "电子邮箱",
        "password": "密码",
        "password2": "密码确认",
        "create": "创建账号",
        "my_library": "我的文库",
        "catalogue": "目录",
        "filters": "筛选",
        "kind": "类型",
        "apply": "应用",
        "chip": "类型：课程",
        "one_result": "共 1 条资源",
        "search": "搜索",
        "bookmark": "收藏",
        "bookmarked": "已在文库中：想读",
        "your_note": "你的笔记",
        "save_note": "添加笔记",
        "note_saved": "笔记已保存。",
        "switch_to": "English",
        "switched_heading": "Catalogue",
    },
    "en-US": {
        "html_lang": "en",
        "sign_up": "Sign up",
        "username": "Username",
        "email": "E-mail",
        "password": "Password",
        "password2": "Password confirmation",
        "create": "Create my account",
        "my_library": "My library",
        "catalogue": "Catalogue",
        "filters": "Filters",
        "kind": "Kind",
        "apply": "Apply",
        "chip": "Kind: Course",
        "one_result": "1 resource",
        "search": "Search",
        "bookmark": "Bookmark",
        "bookmarked": "In your library: To read",
        "your_note": "Your note",
        "save_note": "Add note",
        "note_saved": "Your note was saved.",
        "switch_to": "简体中文",
        "switched_heading": "目录",
    },
}


@pytest.fixture
def catalogue(transactional_db):
    theory = TopicFactory(name="泛化理论", slug="generalization", position=1)
    optimization = TopicFactory(name="Optimization", slug="optimization", position=2)
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    ntk = ResourceFactory(
        topic=theory,
        title="Neural Tangent Kernel: convergence and generalization",
        kind=Kind.PAPER,
        year=2018,
        venue="NeurIPS",
        authors=[author],
        tags=["ntk", "泛化"],
        is_featured=True,
        description="The [tangent kernel](https://example.org/ntk) stays fixed as width grows.",
    )
    ResourceFactory(topic=theory, title="白盒深度网络的泛化", kind=Kind.BOOK, tags=["几何"])
    ResourceFactory(topic=optimization, title="Lectures on optimization", kind=Kind.COURSE)
    for n in range(55):
        ResourceFactory(topic=optimization, title=f"SGD noise study {n:02d}", tags=["sgd"])
    return ntk


def new_page(browser, live_server, *, locale: str, viewport: dict) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport=viewport, locale=locale, color_scheme="light")
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.base = live_server.url
    return page, violations


def open_menu(page: Page) -> None:
    """On a phone the header's links are in the menu drawer."""
    summary = page.locator(".site-menu > summary")
    if summary.is_visible() and page.locator(".site-menu[open]").count() == 0:
        summary.click()


def check_accessibility(page: Page, where: str) -> None:
    """No serious or critical axe violation, in the light theme and in the dark one."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert run_axe(page) == [], f"{where} ({scheme})"
    page.emulate_media(color_scheme="light")


# Controls a thumb must hit on a phone; links inside running text are exempt (WCAG 2.5.8).
TOUCH_CONTROLS = (
    ".site-header a, .site-header button, .site-header summary, .site-header input, "
    ".filter-drawer > summary, .chip, .pagination a, .resource-row button, .resource-row select, "
    ".resource-row .tags a, .resource-title a, .bookmark-login, .resource-row .bookmark a"
)


def small_touch_targets(page: Page) -> list[str]:
    """Visible controls under 44 px tall or wide."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter((el) => el.getClientRects().length)
            .filter((el) => getComputedStyle(el).visibility !== "hidden")
            .filter((el) => {
              const box = el.getBoundingClientRect();
              return box.height < 44 || box.width < 44;
            })
            .map((el) => el.outerHTML.slice(0, 80))""",
        TOUCH_CONTROLS,
    )


def header_overlaps(page: Page) -> list[str]:
    """Pairs of visible header controls whose boxes overlap (e.g. a squeezed search button
    drawn over the menu's first link)."""
    return page.evaluate(
        """() => {
          const items = Array.from(document.querySelectorAll(
            ".site-header a, .site-header button, .site-header input, .site-header summary"))
            .filter((el) => el.getClientRects().length && el.offsetParent !== null);
          const found = [];
          items.forEach((a, i) => items.slice(i + 1).forEach((b) => {
            if (a.contains(b) || b.contains(a)) return;
            const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
            const across = r.left < s.right - 1 && s.left < r.right - 1;
            if (across && r.top < s.bottom - 1 && s.top < r.bottom - 1)
              found.push(a.outerHTML.slice(0, 50) + " / " + b.outerHTML.slice(0, 50));
          }));
          return found;
        }"""
    )


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_reader_journey_in_each_language_and_screen_size(
    browser, live_server, catalogue, locale, viewport
):
    ui = UI[locale]
    phone = viewport is PHONE
    size = "phone" if phone else "desktop"
    lang = "zh" if locale == "zh-CN" else "en"
    page, csp_violations = new_page(browser, live_server, locale=locale, viewport=viewport)
    base = page.base

    # The first visit: Accept-Language decides.
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", ui["html_lang"])
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 72, "the header fits on one line"
    check_accessibility(page, "home")

    # Sign up.
    open_menu(page)
    page.get_by_role("link", name=ui["sign_up"]).click()
    username = f"reader-{lang}-{size}"
    page.get_by_label(ui["username"]).fill(username)
    page.get_by_label(ui["email"]).fill(f"{username}@example.org")
    page.get_by_label(ui["password"], exact=True).fill(PASSWORD)
    page.get_by_label(ui["password2"]).fill(PASSWORD)
    page.get_by_role("button", name=ui["create"]).click()
    expect(page.get_by_role("heading", name=ui["my_library"], level=1)).to_be_visible()
    # Signed in, the menu is longer: the search box keeps room to type and overlaps nothing.
    assert header_overlaps(page) == []
    assert page.locator("#site-search-q").bounding_box()["width"] >= 120

    # Filter: on a phone the results come first and the filters wait in a drawer.
    page.goto(base + "/resources/")
    first_row = page.locator(".resource-row").first
    if phone:
        assert first_row.bounding_box()["y"] < viewport["height"], "a result on the first screen"
        assert small_touch_targets(page) == []
        if lang == "zh":
            screenshot(page, "phone-catalogue-zh")
        page.get_by_text(ui["filters"], exact=True).click()
    page.get_by_label(ui["kind"]).select_option("course")
    page.get_by_role("button", name=ui["apply"]).click()
    expect(page.locator(".result-count")).to_have_text(ui["one_result"])
    chip = page.locator(".filter-chips .chip").first
    expect(chip).to_contain_text(ui["chip"])
    check_accessibility(page, "filtered catalogue")
    chip.click()  # removes the filter
    expect(page.locator(".filter-chips")).to_have_count(0)

    # Search: the snippet is text, never raw Markdown.
    search = page.locator("#site-search-q")
    search.fill("tangent kernel")
    search.press("Enter")
    row = page.locator(f"#resource-{catalogue.pk}")
    expect(row).to_be_visible()
    snippet = row.locator(".search-snippet")
    expect(snippet).to_contain_text("tangent kernel")
    assert "](" not in snippet.inner_text()
    expect(row.locator("img.featured-mark")).to_be_visible()
    if not phone:
        screenshot(page, f"desktop-search-{lang}")
    check_accessibility(page, "search results")

    # Bookmark from the results, in place.
    row.get_by_role("button", name=ui["bookmark"]).click()
    expect(row.locator(".bookmarked")).to_have_text(ui["bookmarked"])
    assert Bookmark.objects.filter(user__username=username, resource=catalogue).exists()
    if phone:  # the row's status link and Remove button, swapped in, are thumb-sized too
        assert small_touch_targets(page) == []

    # A note with mathematics, typeset by KaTeX.
    page.goto(base + catalogue.get_absolute_url())
    page.get_by_label(ui["your_note"]).fill("The kernel $K(x, x') = \\langle x, x' \\rangle$.")
    page.get_by_role("button", name=ui["save_note"]).click()
    expect(page.locator(".messages")).to_contain_text(ui["note_saved"])
    note = page.locator(".note").first
    expect(note.locator(".katex").first).to_be_visible()
    assert Annotation.objects.filter(user__username=username).count() == 1
    if lang == "zh":
        screenshot(page, f"{size}-resource-note-zh")
    check_accessibility(page, "resource with a note")

    # Switch language: the page comes back in the other one, and the profile remembers it.
    open_menu(page)
    page.get_by_role("button", name=ui["switch_to"]).click()
    other = "en" if lang == "zh" else "zh-Hans"
    expect(page.locator("html")).to_have_attribute("lang", other)
    assert ReaderProfile.objects.get(user__username=username).language == (
        "en" if lang == "zh" else "zh-hans"
    )
    page.goto(base + "/resources/")
    expect(page.get_by_role("heading", name=ui["switched_heading"], level=1)).to_be_visible()
    assert not csp_violations, csp_violations
    page.context.close()


def test_the_dark_theme_follows_the_system_and_the_toggle_remembers_a_choice(
    browser, live_server, catalogue
):
    page, csp_violations = new_page(browser, live_server, locale="zh-CN", viewport=DESKTOP)
    page.emulate_media(color_scheme="dark")
    page.goto(page.base + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 21, 28)"
    screenshot(page, "desktop-home-dark-zh")
    toggle = page.locator(".theme-toggle")
    expect(toggle).to_have_text("浅色模式")
    toggle.click()
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 251, 253)"
    check_accessibility(page, "home after the toggle")
    assert not csp_violations, csp_violations
    page.context.close()


def test_english_desktop_catalogue_for_the_readme(browser, live_server, catalogue):
    page, csp_violations = new_page(browser, live_server, locale="en-US", viewport=DESKTOP)
    page.goto(page.base + "/resources/?tag=ntk")
    expect(page.locator(".filter-chips")).to_contain_text("Tag: ntk")
    screenshot(page, "desktop-catalogue-en")
    assert not csp_violations, csp_violations
    page.context.close()


def test_api_docs_load_swagger_ui_under_the_csp(browser, live_server, transactional_db):
    page, csp_violations = new_page(browser, live_server, locale="en-US", viewport=DESKTOP)
    page.goto(page.base + "/api/docs/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("DLT Library API")
    expect(page.get_by_text(re.compile(r"/api/resources/")).first).to_be_visible()
    assert not csp_violations, csp_violations
    page.context.close()


def test_on_a_phone_without_javascript_the_drawers_still_open_and_filter(
    browser, live_server, catalogue
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/resources/")
    page.locator(".site-menu > summary").click()
    expect(page.get_by_role("link", name="作者")).to_be_visible()
    page.locator(".site-menu > summary").click()
    page.get_by_text("筛选", exact=True).click()
    page.get_by_label("类型").select_option("course")
    page.get_by_role("button", name="应用").click()
    expect(page.locator(".result-count")).to_have_text("共 1 条资源")
    expect(page.locator(".theme-toggle")).to_be_hidden()  # the system's scheme applies
    context.close()


def test_the_tag_filter_box_narrows_the_tag_facets(browser, live_server, catalogue):
    page, csp_violations = new_page(browser, live_server, locale="en-US", viewport=DESKTOP)
    page.goto(page.base + "/resources/")
    facets = page.locator("#tag-choice-list")
    expect(facets.locator("label", has_text="sgd")).to_be_visible()
    page.get_by_label("Find a tag").fill("nt")
    expect(facets.locator("label", has_text="ntk")).to_be_visible()
    expect(facets.locator("label", has_text="sgd")).to_be_hidden()
    expect(facets.locator("label", has_text="ntk").locator(".count")).to_have_text("1")
    assert not csp_violations, csp_violations
    page.context.close()


@pytest.mark.parametrize("query", ["kernel generalization", "泛化", "x" * 300])
def test_on_a_phone_search_results_keep_their_words_and_fit_the_screen(
    browser, live_server, catalogue, query
):
    """Marked search terms inside a title or an author's name stay inline text: the words
    keep their spaces, and neither a result nor the search's chip widens the page."""
    page, csp_violations = new_page(browser, live_server, locale="en-US", viewport=PHONE)
    page.goto(f"{page.base}/resources/?{urlencode({'q': query})}")
    if query.startswith("kernel"):
        title = page.locator(f"#resource-{catalogue.pk} .resource-title a")
        expect(title).to_have_text("Neural Tangent Kernel: convergence and generalization")
        assert title.locator("mark").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not csp_violations, csp_violations
    page.context.close()
