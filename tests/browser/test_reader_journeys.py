"""A reader's journey in a real browser: sign up, shelve, read, annotate, share."""

import re

import pytest
from playwright.sync_api import Page, expect

from resources.models import Annotation, Bookmark
from tests.factories import ResourceFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "a quite different passphrase 42"
# The policy production will send; the journey must run under it without a single violation.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def enforce_strict_csp(page: Page) -> list[str]:
    """Serve every page with STRICT_CSP; returns the list the browser's violations go to."""

    def add_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    page.route("**/*", add_policy)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_up(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="My library")).to_be_visible()


def test_a_reader_shelves_annotates_and_shares(page: Page, live_server, transactional_db):
    topic = TopicFactory(name="Generalization")
    resource = ResourceFactory(topic=topic, title="Understanding deep learning requires rethinking")
    ResourceFactory(topic=topic, title="A second paper")
    base = live_server.url
    csp_violations = enforce_strict_csp(page)

    # Sign up, then bookmark from the catalogue: htmx swaps the row's button in place.
    sign_up(page, base, "ada")
    page.goto(f"{base}/resources/")
    row = page.locator(f"#resource-{resource.pk}")
    page.evaluate("window.__samePage = true")
    row.get_by_role("button", name="Bookmark").click()
    expect(row.locator(".bookmarked")).to_have_text("In your library: To read")
    expect(row.locator(".bookmark-count")).to_have_text("1 reader")
    assert page.evaluate("window.__samePage === true")  # no page load: htmx did it

    # Change the status in My library, where each row has the full form, still in place.
    page.goto(f"{base}/library/")
    row = page.locator(f"#resource-{resource.pk}")
    page.evaluate("window.__samePage = true")
    row.get_by_label("Status").select_option("reading")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".bookmarked")).to_have_text("In your library: Reading")
    assert page.evaluate("window.__samePage === true")
    assert Bookmark.objects.get(user__username="ada").status == "reading"

    # My library lists it under "Reading".
    page.goto(f"{base}/library/?status=reading")
    expect(page.locator(f"#resource-{resource.pk}")).to_be_visible()

    # A note with mathematics, rendered by KaTeX.
    page.goto(f"{base}{resource.get_absolute_url()}")
    page.get_by_label("Your note").fill("Margin bound: $\\frac{1}{\\sqrt{n}}$ and \\(\\|w\\|_2\\)")
    page.get_by_role("button", name="Preview").click()  # htmx, then KaTeX on the fragment
    expect(page.locator(".note-preview .katex")).to_have_count(2)
    assert not Annotation.objects.exists()
    page.get_by_role("button", name="Add note").click()
    note = Annotation.objects.get(user__username="ada")
    own = page.locator(f"#note-{note.pk}")
    expect(own.locator(".katex").first).to_be_visible()
    expect(own.locator(".katex")).to_have_count(2)
    expect(own.locator(".badge")).to_have_text("private")

    # Make it public.
    own.get_by_role("link", name="Edit").click()
    page.get_by_role("checkbox", name=re.compile("Public")).check()
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(f"#note-{note.pk} .badge")).to_have_text("public")

    # Another reader sees it, typeset, with its author.
    page.get_by_role("button", name="Log out").click()
    UserFactory(username="grace", password=PASSWORD)
    page.goto(f"{base}/accounts/login/?next={resource.get_absolute_url()}")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    shared = page.locator(f"#note-{note.pk}")
    expect(shared.locator(".note-author")).to_have_text("ada")
    expect(shared.locator(".katex")).to_have_count(2)
    expect(shared.get_by_role("link", name="Edit")).to_have_count(0)

    # Grace shelves it from the resource page and changes her mind, all in place.
    button = page.locator(".resource-detail > .bookmark")
    button.get_by_role("button", name="Bookmark").click()
    expect(button.locator(".bookmark-count")).to_have_text("2 readers")
    page.locator(".resource-detail > .bookmark").get_by_role("button", name="Remove").click()
    expect(button.locator(".bookmark-count")).to_have_text("1 reader")
    expect(button.locator(".bookmarked")).to_have_count(0)
    assert not Bookmark.objects.filter(user__username="grace").exists()
    assert csp_violations == []


def test_without_javascript_bookmarking_posts_and_comes_back(
    browser, live_server, transactional_db
):
    resource = ResourceFactory(title="Tensor programs")
    UserFactory(username="lin", password=PASSWORD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        base = live_server.url
        page.goto(f"{base}/accounts/login/?next=/resources/%3Fkind%3Dpaper")
        page.get_by_label("Username").fill("lin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        row = page.locator(f"#resource-{resource.pk}")
        row.get_by_role("button", name="Bookmark").click()
        expect(page.locator(".message")).to_have_text("Added to your library.")
        assert page.url == f"{base}/resources/?kind=paper"
        status = page.locator(f"#resource-{resource.pk} .bookmarked")
        expect(status).to_have_text("In your library: To read")
        # The row's status leads to the resource page, whose form sets status and rating.
        status.click()
        page.locator(".resource-detail > .bookmark").get_by_label("Status").select_option("done")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".message")).to_have_text("Bookmark saved.")
        expect(page.locator(".resource-detail > .bookmark .bookmarked")).to_have_text(
            "In your library: Done"
        )
        # Maths stays readable as TeX source.
        page.goto(f"{base}{resource.get_absolute_url()}")
        page.get_by_label("Your note").fill("Rate \\(n^{-1/2}\\)")
        page.get_by_role("button", name="Add note").click()
        expect(page.locator(".note .math").first).to_have_text("\\(n^{-1/2}\\)")
        expect(page.locator(".note .katex")).to_have_count(0)
    finally:
        context.close()


def test_a_bookmark_htmx_cannot_post_is_posted_plainly_and_says_what_happened(
    page: Page, live_server, transactional_db
):
    resource = ResourceFactory(title="Tensor programs")
    base = live_server.url
    csp_violations = enforce_strict_csp(page)
    sign_up(page, base, "noor")
    page.goto(f"{base}/resources/?kind=paper")
    # The page's tokens gone stale (as after signing in again in another tab): the server
    # refuses htmx's post (403), and the click, posted plainly, gets the page that says so.
    page.evaluate(
        """document.querySelector('meta[name=csrf-token]').content = 'stale';
           document.querySelector('#row-bookmarks [name=csrfmiddlewaretoken]').value = 'stale';"""
    )
    page.locator(f"#resource-{resource.pk}").get_by_role("button", name="Bookmark").click()
    expect(page.get_by_role("heading", name="Form expired")).to_be_visible()
    assert page.url == f"{base}/bookmarks/{resource.pk}/"
    assert not Bookmark.objects.filter(resource=resource).exists()
    assert csp_violations == []
