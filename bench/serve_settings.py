"""Settings for the server benchmark: the production settings plus one minimal view."""

from breakthrough.settings import *  # noqa: F403

ROOT_URLCONF = "bench.serve_urls"
