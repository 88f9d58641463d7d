"""The bilingual interface: Chinese first, English on request, the choice remembered, and a
translation with no gaps."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from resources.models import Bookmark, ReaderProfile
from tests.factories import ResourceFactory, UserFactory

PROJECT = Path(settings.BASE_DIR)
PO_FILE = PROJECT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext is not installed: run `make gettext`",
)


@pytest.fixture
def chinese_first(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# The catalogue ---------------------------------------------------------------------------------


def msgfmt_statistics(po: Path) -> dict[str, int]:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


# What makemessages reads: the project's own code and templates.
SOURCES = ("benchmarks", "dlt_library", "resources", "templates")


@needs_gettext
def test_every_marked_string_has_a_chinese_translation(tmp_path):
    """makemessages over today's code, in a scratch copy holding a copy of the committed .po:
    nothing new, nothing untranslated, nothing fuzzy. Run `make messages` and translate what
    this names. (A copy, because makemessages writes the catalogue beside what it reads.)"""
    for name in SOURCES:
        shutil.copytree(
            PROJECT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(PROJECT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    (tmp_path / "check_settings.py").write_text(
        "from dlt_library.settings import *  # noqa\n"
        f"LOCALE_PATHS = [{str(tmp_path / 'locale')!r}]\n"
    )
    committed = PO_FILE.read_bytes()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--add-location=file"],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "PYTHONPATH": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "check_settings",
        },
        check=True,
        capture_output=True,
    )
    assert PO_FILE.read_bytes() == committed, "the committed catalogue is left alone"
    refreshed = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    counts = msgfmt_statistics(refreshed)
    assert counts["translated"] > 400
    untranslated = re.findall(r'msgid "(.+)"\nmsgstr ""\n\n', refreshed.read_text())
    assert (counts["untranslated"], counts["fuzzy"]) == (0, 0), untranslated[:20]


@needs_gettext
def test_the_statistics_check_sees_an_untranslated_string(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO_FILE.read_text() + '\nmsgid "A string nobody translated"\nmsgstr ""\n')
    assert msgfmt_statistics(po)["untranslated"] == 1


# Which language a visitor gets -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_first_visit_without_a_language_preference_is_in_chinese(client, chinese_first):
    response = client.get("/")
    assert html_lang(response) == "zh-Hans"
    assert "目录" in response.content.decode()


@pytest.mark.django_db
def test_accept_language_decides_the_first_visit(client, chinese_first):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(english) == "en"
    assert "Catalogue" in english.content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert html_lang(chinese) == "zh-Hans"


@pytest.mark.django_db
def test_the_switcher_sets_the_language_cookie_without_a_csrf_token(chinese_first):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/resources/"})
    assert response.status_code == 302 and response["Location"] == "/resources/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get("/resources/", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "en"


@pytest.mark.django_db
def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_signed_in_readers_choice_is_kept_in_their_profile():
    reader = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    refused = client.post("/i18n/setlang/", {"language": "en"})
    assert refused.status_code == 403  # their profile changes, so the token is required
    assert not ReaderProfile.objects.filter(user=reader).exists()
    client.get("/accounts/profile/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ReaderProfile.objects.get(user=reader).language == "en"


@pytest.mark.django_db
def test_signing_in_on_another_device_restores_the_profiles_language(client, chinese_first):
    reader = UserFactory(username="wen")
    reader.set_password("a long enough passphrase 7")
    reader.save()
    ReaderProfile.remember_language(reader, "en")
    response = client.post(
        "/accounts/login/", {"username": "wen", "password": "a long enough passphrase 7"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get("/")) == "en"


@pytest.mark.django_db
def test_a_choice_made_before_signing_up_is_saved_to_the_new_profile(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    password = "a quite different passphrase 42"
    response = client.post(
        "/accounts/signup/",
        {
            "username": "li",
            "email": "li@example.org",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302
    assert ReaderProfile.objects.get(user__username="li").language == "zh-hans"


# The page cache keeps languages apart ----------------------------------------------------------


@pytest.mark.django_db
def test_cached_anonymous_pages_are_kept_per_language(client, chinese_first):
    ResourceFactory(title="Neural tangent kernel")
    first_zh = client.get("/resources/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    first_en = client.get("/resources/", HTTP_ACCEPT_LANGUAGE="en")
    again_zh = client.get("/resources/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    again_en = client.get("/resources/", HTTP_ACCEPT_LANGUAGE="en")
    assert again_zh["X-Page-Cache"] == again_en["X-Page-Cache"] == "hit"
    assert html_lang(first_zh) == html_lang(again_zh) == "zh-Hans"
    assert html_lang(first_en) == html_lang(again_en) == "en"
    for response in (first_zh, again_zh, again_en):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary


# Localised numbers, plurals and dates ----------------------------------------------------------


@pytest.mark.django_db
def test_counts_read_naturally_in_both_languages(client):
    ResourceFactory.create_batch(2)
    assert "2 resources" in client.get("/resources/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "共 2 条资源" in client.get("/resources/", HTTP_ACCEPT_LANGUAGE="zh").content.decode()


# No English left on a Chinese page -------------------------------------------------------------

# Names and notations that stay as they are in Chinese text.
ALLOWED_WORDS = {
    "dlt", "api", "json", "ntk", "arxiv", "doi", "github", "markdown", "apache", "license",
    "foocker", "deeplearningtheory", "token", "authorization", "url", "http", "https", "yi",
    "ma", "author", "generalization", "tex", "katex", "utf", "awesome", "list", "readme",
    "cookie", "english",
}  # fmt: skip
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")  # e-mail addresses and links are not words
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "value"}


class UIText(HTMLParser):
    """The interface's words on a page: its text and the attributes people see or hear, leaving
    out every element that carries its own `lang` (catalogue data: titles, names, tags,
    descriptions) or `translate="no"` (usernames, addresses), code, scripts, the page title
    (it holds a resource's title) and the topic names of the topic filter."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # True where the text is not interface text
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (
            (bool(self.stack) and self.stack[-1])
            or (tag != "html" and "lang" in attributes)
            or attributes.get("translate") == "no"  # usernames, addresses
            or tag in {"script", "style", "code", "pre", "time", "title"}
            or attributes.get("name") in {"topic", "csrfmiddlewaretoken", "next", "q"}
            or attributes.get("type") == "hidden"
        )
        if not skipped:
            for name, value in attrs:
                if name == "value" and not (
                    tag == "input" and attributes.get("type") in {"submit", "button"}
                ):
                    continue
                if name in VISIBLE_ATTRIBUTES and value and tag not in {"option", "select"}:
                    self.words += ENGLISH_WORD.findall(value)
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.words += ENGLISH_WORD.findall(ADDRESS.sub(" ", data))


def english_ui_words(html: str) -> set[str]:
    parser = UIText()
    parser.feed(html)
    return {word for word in parser.words if word.lower() not in ALLOWED_WORDS}


def test_the_english_scanner_finds_an_untranslated_word_but_not_marked_data():
    html = (
        '<html lang="zh-Hans"><body><p>目录 Catalogue</p>'
        '<h3 lang="en">Deep networks</h3><input placeholder="Search"></body></html>'
    )
    assert english_ui_words(html) == {"Catalogue", "Search"}


@pytest.fixture
def bilingual_catalogue(db):
    from tests.factories import AuthorFactory, TopicFactory

    topic = TopicFactory(name="Generalization", slug="generalization")
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    resource = ResourceFactory(
        topic=topic,
        title="Understanding deep learning",
        venue="ICLR",
        year=2017,
        is_featured=True,
        authors=[author],
        tags=["ntk", "泛化"],
        description="See [the paper](https://example.org) on $x^2$ generalization.",
    )
    ResourceFactory.create_batch(55, topic=topic, tags=["ntk"])
    return resource


@pytest.mark.django_db
def test_chinese_pages_have_no_english_interface_words(client, bilingual_catalogue):
    reader = UserFactory(username="reader")
    resource = bilingual_catalogue
    anonymous_pages = [
        "/",
        "/resources/",
        "/resources/?q=generalization&kind=paper&tag=ntk&featured=true",
        "/resources/?q=zzzz-nothing",
        "/resources/?page=2",
        resource.get_absolute_url(),
        "/topics/generalization/",
        "/tags/",
        "/tags/ntk/",
        "/authors/",
        "/authors/yi-ma/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/no-such-page/",
    ]
    reader_pages = [
        "/library/",
        "/accounts/profile/",
        "/suggest/",
        "/suggestions/",
        resource.get_absolute_url(),
        "/accounts/password_change/",
        f"/resources/{resource.pk}/notes/",
    ]
    found = {}
    for url in anonymous_pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
        found[url] = english_ui_words(html)
    client.force_login(reader)
    for url in reader_pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
        found["reader " + url] = english_ui_words(html)
    missing = {url: sorted(words) for url, words in found.items() if words}
    assert not missing, "\n".join(f"{url}: {words}" for url, words in missing.items())


# Messages beyond the pages: the API's errors and e-mails ---------------------------------------


@pytest.mark.django_db
def test_the_apis_own_errors_answer_in_the_readers_language(client):
    reader = UserFactory()
    first, second = ResourceFactory(), ResourceFactory()
    bookmark = Bookmark.objects.create(user=reader, resource=first)
    client.force_login(reader)
    response = client.patch(
        f"/api/bookmarks/{bookmark.pk}/",
        {"resource": second.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert response.status_code == 400
    assert response.json() == {"resource": ["收藏对应的资源不可更改。"]}


@pytest.mark.django_db
def test_the_password_reset_e_mail_is_written_in_the_readers_language(client, mailoutbox):
    UserFactory(username="wen", email="wen@example.org")
    client.post(
        "/accounts/password_reset/", {"email": "wen@example.org"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    (message,) = mailoutbox
    assert message.subject == "重置你的 DLT 文库密码"
    assert "有人申请重置你的 DLT 文库账号（wen）的密码。" in message.body
