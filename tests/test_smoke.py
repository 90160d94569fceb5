from schemakit.api import generate, migrate, rollback
from schemakit.diff.renames import Resolver
from schemakit.schema.model import Database

from .helpers import assert_same, project_for

SPEC = (Path := __import__("pathlib").Path)(__file__).resolve().parent.parent / "project" / "schema.py"


def test_spec_example_up_and_down(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, SPEC.read_text())
    g = generate(p, Resolver())
    assert g is not None
    migrate(p)
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    assert_same(fresh_db, Database(), admin_params)
