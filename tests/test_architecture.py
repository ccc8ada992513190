"""The shape of the code (docs/architecture.md): layers that import only downwards, no
import cycles, plugins that are only plugins, entry points that only call the library."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Imported inside functions on purpose: pikepdf is loaded only by sites that have documents.
LAZY = {"press.safety.documents"}


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    """Run import-linter's contracts (pyproject.toml) on `project`'s press/ package."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_layers_and_the_absence_of_cycles_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # The core imports nothing of the project: a core module reaching up to the build.
        ("press/core/files.py", "import press.build.pipeline",
         "press.core is not allowed to import press.build"),
        # A check reaching up into the review of translations, a layer above it.
        ("press/checks/markdown.py", "from press.review import status",
         "press.checks is not allowed to import press.review"),
        # Two modules of one layer importing each other.
        ("press/review/diff.py", "import press.review.status",
         "No cycles are allowed in press.review"),
    ],
)  # fmt: skip
def test_an_import_against_the_layers_is_refused(tmp_path, module, line, broken):
    """The contracts fail on what they forbid: the test above cannot pass by accident."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "press", project / "press", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project)
    if broken.startswith("No cycles"):
        status = project / "press" / "review" / "status.py"
        status.write_text(f"import press.review.diff\n{status.read_text('utf-8')}", "utf-8")
    path = project / module
    path.write_text(f"{line}\n{path.read_text('utf-8')}", "utf-8")
    result = _lint_imports(project)
    assert result.returncode == 1
    assert broken in result.stdout.split("Broken contracts", 1)[1]


def _functions_imports(tree: ast.AST):
    """Every import made inside a function, with the module it names."""
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module:
                    yield node, node.module
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        yield node, alias.name


def test_no_module_of_the_project_is_imported_inside_a_function():
    """Such imports dodge cycles the contracts would otherwise show."""
    found = []
    for path in sorted([*(ROOT / "press").rglob("*.py"), *(ROOT / "plugins").rglob("*.py"),
                        ROOT / "tasks.py"]):  # fmt: skip
        tree = ast.parse(path.read_text("utf-8"))
        for node, module in _functions_imports(tree):
            if (module == "press" or module.startswith("press.")) and module not in LAZY:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
    assert found == []


def test_plugins_are_only_a_register_function_connecting_signals():
    """Pelican loads plugins/ by name; what they do lives in press.rendering."""
    plugins = sorted(path for path in (ROOT / "plugins").iterdir() if path.is_dir())
    settings = (ROOT / "pelicanconf.py").read_text("utf-8")
    assert plugins
    for plugin in plugins:
        if plugin.name == "__pycache__":
            continue
        files = sorted(p.name for p in plugin.iterdir() if p.name != "__pycache__")
        assert files == ["__init__.py"], plugin
        tree = ast.parse((plugin / "__init__.py").read_text("utf-8"))
        body = [node for node in tree.body if not isinstance(node, ast.Import | ast.ImportFrom)]
        docstring, register = body
        assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
        assert isinstance(register, ast.FunctionDef) and register.name == "register"
        for statement in register.body[1:]:  # after its docstring: only signal connections
            call = statement.value
            assert isinstance(call, ast.Call) and call.func.attr == "connect", plugin
            assert ast.unparse(call.func).startswith("signals."), plugin
            assert ast.unparse(call.args[0]).startswith(tuple(_imported(tree))), plugin
        assert f'"{plugin.name}"' in settings  # a plugin the build does not load is dead code


def _imported(tree: ast.Module) -> list[str]:
    """The names a plugin imports from press/."""
    return [
        f"{alias.asname or alias.name}."
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module.startswith("press.")
        for alias in node.names
    ]
