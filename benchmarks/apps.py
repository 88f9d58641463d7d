from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Tools that fill a database with generated resources and measure the site's speed
    (`generate_resources`, `generate_list`, `bench`, `bench_search`); no models."""

    name = "benchmarks"
