from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from ... import conf
from ...conf import django_model_target
from ...schema.django_models import write_models
from ..base import SchemaKitCommand
from ..formatting import ruff_format


def models_text(project, path: Path | None = None) -> str:
    """The models module for the project's schema, as db_models writes it (through ruff format when installed)."""
    return ruff_format(write_models(project.load_schema(), django_model_target), path or conf.models_file())


def stale_models_file(project) -> Path | None:
    """The configured MODELS_FILE when it exists and no longer matches the schema module."""
    path = conf.models_file()
    if path is None or not path.exists():
        return None
    return path if path.read_text() != models_text(project, path) else None


class Command(SchemaKitCommand):
    help = "Write Django models (managed = False) for the tables of the schema module."
    quiet_at_verbosity_0 = False  # the module on standard output is the result, not chatter

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", metavar="PATH", help="write to PATH (default: SCHEMAKIT['MODELS_FILE'], else standard output)")
        parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is out of date")

    def handle(self, *args, **options) -> None:
        path = Path(options["out"]) if options["out"] else conf.models_file()
        text = models_text(self.project(options), path)
        if path is None:
            if options["check"]:
                raise CommandError("--check needs --out PATH or SCHEMAKIT['MODELS_FILE']", returncode=2)
            self.stdout.write(text, ending="")
            return
        current = path.read_text() if path.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(f"{path} is out of date: run manage.py db_models", returncode=1)
            self.stdout.write(f"{path} is up to date")
            return
        if current == text:
            self.stdout.write(f"{path} is up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.ok(f"wrote {path}")
