"""Readers' accounts: sign-up, log in and out, passwords, and the profile with its API token."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a quite different passphrase 42"


def test_sign_up_creates_a_reader_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "李华",
            "email": "lihua@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:my-library")
    user = get_user_model().objects.get(username="李华")
    assert user.email == "lihua@example.org"
    assert not user.is_staff
    assert client.get(reverse("resources:my-library")).status_code == 200


def test_sign_up_goes_back_to_a_local_next_only(client):
    data = {"email": "a@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    ok = client.post(reverse("signup"), {**data, "username": "a", "next": "/resources/5/"})
    assert ok["Location"] == "/resources/5/"
    client.logout()
    data["email"] = "b@example.org"
    evil = client.post(
        reverse("signup"), {**data, "username": "b", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("resources:my-library")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password2": "mismatch"}, "The two password fields"),
        ({"email": ""}, "This field is required."),
        ({"username": "OWNER"}, "A user with that username already exists."),
        ({"password1": "123", "password2": "123"}, "This password is too short."),
    ],
)
def test_sign_up_reports_bad_input_and_creates_no_one(client, personas, changes, error):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **changes,
    }
    before = get_user_model().objects.count()
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert get_user_model().objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 200), ("owner", 302), ("stranger", 302), ("curator", 302)],
)
def test_sign_up_page_is_for_visitors(client_as, persona, status_code):
    assert client_as(persona).get(reverse("signup")).status_code == status_code


def test_log_in_and_log_out_by_post(client, personas):
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302
    html = client.get(reverse("resources:home")).content.decode()
    assert "My library" in html and f'action="{reverse("logout")}"' in html
    assert client.get(reverse("logout")).status_code == 405  # a link cannot log anyone out
    assert client.post(reverse("logout")).status_code == 302
    html = client.get(reverse("resources:home")).content.decode()
    assert "Sign up" in html and "My library" not in html


def test_log_in_with_a_wrong_password_says_so(client, personas):
    response = client.post(reverse("login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client_as, personas):
    client = client_as("owner")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    personas["owner"].refresh_from_db()
    assert personas["owner"].check_password(NEW_PASSWORD)


def test_password_change_needs_a_logged_in_reader(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_by_email(client, personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "owner@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.org"]
    assert "(owner)" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_reset_complete")
    personas["owner"].refresh_from_db()
    assert personas["owner"].check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # same answer, so addresses cannot be probed
    assert mail.outbox == []


# Profile and token ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status_code", "sees_owner_token"),
    [
        ("anonymous", 302, False),
        ("owner", 200, True),
        ("stranger", 200, False),
        ("curator", 200, False),
    ],
)
def test_profile_shows_only_the_readers_own_token(
    client_as, personas, persona, status_code, sees_owner_token
):
    token = Token.objects.create(user=personas["owner"])
    response = client_as(persona).get(reverse("profile"))
    assert response.status_code == status_code
    assert (token.key in response.content.decode()) == sees_owner_token


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("anonymous", 302), ("owner", 302), ("stranger", 302), ("curator", 302)],
)
def test_token_button_replaces_only_the_posters_token(client_as, personas, persona, status_code):
    owner_token = Token.objects.create(user=personas["owner"]).key
    response = client_as(persona).post(reverse("profile-token"))
    assert response.status_code == status_code
    owner_now = Token.objects.get(user=personas["owner"]).key
    assert (owner_now != owner_token) == (persona == "owner")
    if persona in ("stranger", "curator"):
        assert Token.objects.filter(user=personas[persona]).count() == 1


def test_a_new_token_is_shown_and_works_for_the_api(client_as, personas, client):
    page = client_as("stranger").post(reverse("profile-token"), follow=True)
    key = Token.objects.get(user=personas["stranger"]).key
    assert key in page.content.decode()
    client.logout()
    response = client.get(reverse("api-bookmark-list"), headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200


def test_the_token_page_needs_a_post(client_as):
    assert client_as("owner").get(reverse("profile-token")).status_code == 405


def test_drf_create_token_command_makes_a_token(personas, capsys):
    call_command("drf_create_token", "owner")
    key = Token.objects.get(user=personas["owner"]).key
    assert key in capsys.readouterr().out


ACCOUNT_PAGES = {
    # page: status for anonymous, owner, stranger, curator
    "login": (200, 200, 200, 200),
    "signup": (200, 302, 302, 302),
    "profile": (302, 200, 200, 200),
    "password_change": (302, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200),
    "password_reset": (200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200),
    "profile-token": (405, 405, 405, 405),
}


@pytest.mark.parametrize(
    ("name", "persona", "status_code"),
    [
        (name, persona, statuses[i])
        for name, statuses in ACCOUNT_PAGES.items()
        for i, persona in enumerate(["anonymous", "owner", "stranger", "curator"])
    ],
)
def test_account_pages_answer_each_persona(client_as, name, persona, status_code):
    response = client_as(persona).get(reverse(name))
    assert response.status_code == status_code
    if status_code == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["owner", "stranger", "curator"])
def test_the_profile_shows_the_reader_themself(client_as, personas, persona):
    html = client_as(persona).get(reverse("profile")).content.decode()
    assert f"<dd>{personas[persona].email}</dd>" in html
    others = [p for p in ("owner", "stranger", "curator") if p != persona]
    assert not any(f"<dd>{personas[p].email}</dd>" in html for p in others)


def test_the_admins_own_password_page_keeps_the_admin_look(client_as):
    client = client_as("curator")
    admin_page = client.get(reverse("admin:password_change")).content.decode()
    assert 'id="site-name"' in admin_page  # admin/base_site.html
    site_page = client.get(reverse("password_change")).content.decode()
    assert 'class="site-header"' in site_page and 'id="site-name"' not in site_page
