"""`python manage.py check_links [--concurrency N] [--timeout S]` (for maintainers, e.g. cron).

Checks every resource URL and secondary link and records the outcome (see LinkCheck):
ok, redirect, broken (4xx/5xx after retries), unreachable (DNS, refused, timeout) or blocked
(the host, or a redirect, leads to a loopback, private or other non-public address, which is
never contacted; `--allow-private-addresses` lifts that for testing against local servers).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from resources.linkcheck import check_catalogue, summarize


class Command(BaseCommand):
    help = "Check every URL of the catalogue and record ok/redirect/broken/unreachable/blocked."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--concurrency", type=int, default=10, help="Requests in flight at most (10)."
        )
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request (10).")
        parser.add_argument(
            "--retries", type=int, default=2, help="Retries after a 5xx or a timeout (2)."
        )
        parser.add_argument(
            "--delay",
            type=float,
            default=None,
            help="Seconds between two requests to one host (LINK_CHECK_HOST_DELAY).",
        )
        parser.add_argument(
            "--backoff", type=float, default=0.5, help="First retry waits this long, then x2."
        )
        parser.add_argument(
            "--allow-private-addresses",
            action="store_true",
            default=None,
            help="Also contact loopback and private addresses (local testing only; "
            "LINK_CHECK_ALLOW_PRIVATE_ADDRESSES).",
        )

    def handle(
        self,
        *args,
        concurrency,
        timeout,
        retries,
        delay,
        backoff,
        allow_private_addresses,
        **options,
    ) -> None:
        if concurrency < 1 or timeout <= 0 or retries < 0:
            raise CommandError("--concurrency ≥ 1, --timeout > 0 and --retries ≥ 0, please.")
        with tqdm(unit="url", disable=options["verbosity"] == 0, file=sys.stderr) as bar:
            targets, outcomes = check_catalogue(
                concurrency=concurrency,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                delay=delay,
                allow_private_addresses=allow_private_addresses,
                start=lambda total: bar.reset(total=total),
                progress=lambda: bar.update(1),
            )
        urls = {target.url for target in targets}

        summary = ", ".join(f"{n} {status}" for status, n in summarize(targets, outcomes).items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {len(targets)} addresses ({len(urls)} distinct): {summary}."
            )
        )
        if options["verbosity"] >= 1:
            bad = [
                t for t in targets if outcomes[t.url].status in ("broken", "unreachable", "blocked")
            ]
            for target in bad[:50]:
                outcome = outcomes[target.url]
                detail = outcome.http_status or outcome.error
                self.stdout.write(f"  {outcome.status}: {target.url} ({detail})")
            if len(bad) > 50:
                self.stdout.write(f"  … and {len(bad) - 50} more (filter the admin by link health)")
