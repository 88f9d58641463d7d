"""Fill abstracts, authors, first-version dates, DOIs and categories from the arXiv API."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from resources.scholarly.arxiv import BATCH_SIZE, ArxivClient
from resources.scholarly.enrich import enrich, resources_to_enrich


class Command(BaseCommand):
    help = (
        "Fetch metadata from arXiv for every resource with an arXiv id: abstract, authors in "
        "order, first-version date, DOI and primary category. Fields a curator edited are "
        "never overwritten. Asks in batches, at most one request every --delay seconds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--only-missing",
            action="store_true",
            help="Only resources never fetched or still without an abstract.",
        )
        parser.add_argument(
            "--arxiv-api",
            default=settings.ARXIV_API_URL,
            metavar="URL",
            help="The arXiv API query endpoint (default: %(default)s).",
        )
        parser.add_argument(
            "--delay",
            type=float,
            default=settings.ARXIV_API_DELAY,
            help="Seconds between requests (arXiv asks for 3; default %(default)s).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Ids per request.")
        parser.add_argument("--retries", type=int, default=3, help="Retries of a failed request.")

    @no_translations  # a terminal report, in English like the rest of its output
    def handle(self, *args, **options) -> None:
        if not 1 <= options["batch_size"] <= 200:
            raise CommandError("--batch-size must be between 1 and 200.")
        if options["delay"] < 0 or options["retries"] < 0:
            raise CommandError("--delay and --retries cannot be negative.")
        resources = list(resources_to_enrich(only_missing=options["only_missing"]))
        ids = {resource.arxiv_id for resource in resources}
        if not ids:
            self.stdout.write("No resource needs metadata from arXiv.")
            return
        client = ArxivClient(
            api_url=options["arxiv_api"], delay=options["delay"], retries=options["retries"]
        )
        with client, tqdm(total=len(ids), unit="id", disable=options["verbosity"] < 1) as bar:
            report = enrich(
                resources, client=client, batch_size=options["batch_size"], progress=bar.update
            )
        for problem in report.failed:
            self.stderr.write(problem)
        if report.not_found:
            self.stderr.write("Not found on arXiv: " + ", ".join(report.not_found))
        message = f"Metadata from arXiv: {report.summary()}."
        if report.failed and not (report.updated or report.unchanged):
            raise CommandError(message)
        self.stdout.write(self.style.SUCCESS(message))
