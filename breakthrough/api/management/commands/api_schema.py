from django.core.management.base import BaseCommand

from breakthrough.api.schema import SNAPSHOT, schema_text


class Command(BaseCommand):
    help = (
        "Print the REST API's OpenAPI schema, or write it to a file. With --update, refresh the "
        "committed snapshot (breakthrough/api/openapi.json) after reviewing the change."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Write the schema to this file.")
        parser.add_argument("--update", action="store_true", help="Write the committed snapshot.")

    def handle(self, *args, output=None, update=False, **options):
        text = schema_text()
        if update:
            SNAPSHOT.write_text(text)
            self.stdout.write(f"Wrote {SNAPSHOT}")
        elif output:
            with open(output, "w") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
