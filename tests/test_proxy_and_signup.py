"""Finding 6 of the second hardening round, the server side: behind the README's TLS proxy the
login lock was one for every client (all came from the proxy's address), and sign-up said
whether a username or an e-mail address was taken.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase"
PROXY = "127.0.0.1"  # every request reaches the server from the proxy


def behind_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def fail_five_times(client: Client, username: str) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def log_in(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_two_clients_behind_the_proxy_get_separate_login_locks(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ada", password=PASSWORD)
    attacker, reader = behind_proxy("198.51.100.7"), behind_proxy("203.0.113.20")
    fail_five_times(attacker, "ada")
    assert log_in(attacker, "ada").status_code == 429
    assert log_in(reader, "ada").status_code == 302


def test_a_client_cannot_escape_its_lock_by_writing_its_own_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ada", password=PASSWORD)
    fail_five_times(behind_proxy("198.51.100.7"), "ada")
    # The proxy appends the address it saw; what the client wrote stands to its left.
    assert log_in(behind_proxy("192.0.2.1, 198.51.100.7"), "ada").status_code == 429


def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default
    UserFactory(username="ada", password=PASSWORD)
    fail_five_times(behind_proxy("198.51.100.7"), "ada")
    assert log_in(behind_proxy("203.0.113.20"), "ada").status_code == 429


def test_two_trusted_proxies_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    UserFactory(username="ada", password=PASSWORD)
    fail_five_times(behind_proxy("198.51.100.7, 10.0.0.2"), "ada")
    assert log_in(behind_proxy("203.0.113.20, 10.0.0.2"), "ada").status_code == 302
    assert log_in(behind_proxy("198.51.100.7, 10.0.0.2"), "ada").status_code == 429


def sign_up(client: Client, username: str, email: str):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), data)


def test_signup_does_not_say_whether_an_email_is_taken(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="owner", email="owner@example.org")
    fresh = sign_up(Client(), "newcomer", "newcomer@example.org")
    taken = sign_up(Client(), "someone", "OWNER@example.org")
    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert taken.status_code == 302
    # The address's owner hears of it; the person signing up learns nothing.
    (notice,) = mail.outbox
    assert notice.to == ["OWNER@example.org"]
    assert "someone" in notice.body and "owner" in notice.body


def test_signup_with_a_fresh_email_sends_no_notice(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sign_up(Client(), "newcomer", "newcomer@example.org").status_code == 302
    assert mail.outbox == []
