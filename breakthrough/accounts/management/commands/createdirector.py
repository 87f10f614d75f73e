import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from breakthrough.accounts.actions import do_create_director
from breakthrough.collaboratives.models import Collaborative


class Command(BaseCommand):
    help = (
        "Create the first account of an installation: a platform administrator who directs a "
        "collaborative. With --collaborative NAME the collaborative is created too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="The person's full name.")
        parser.add_argument(
            "--collaborative", default="", help="Name of a collaborative to create."
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of prompting.",
        )

    def handle(self, *args, username, email, name, collaborative, password_stdin, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The username '{username}' is taken.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        if (
            collaborative
            and Collaborative.objects.filter(slug=slugify(collaborative)[:50]).exists()
        ):
            raise CommandError(f"A collaborative named like '{collaborative}' exists already.")
        do_create_director(
            username=username,
            email=email,
            full_name=name,
            password=password,
            collaborative_name=collaborative,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {username}"
                + (f", director of {collaborative}" if collaborative else "")
                + ". Log in and invite your faculty and teams from the People page."
            )
        )
