"""Things in their place (docs/architecture.md): only templates use the
template tags (services, tasks and exports call ``core.formatting``), and
management commands never import views."""

import ast
from pathlib import Path

import fordela

PACKAGE = Path(fordela.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_only_the_template_tag_modules_import_template_tags():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in python_files()
        if "templatetags" not in path.parts
        and any(".templatetags" in name for name in imported_modules(path))
    ]
    assert offenders == []


def test_management_commands_do_not_import_views():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in python_files()
        if "commands" in path.parts
        and any(
            name.split(".")[-1] == "views" or ".views." in name for name in imported_modules(path)
        )
    ]
    assert offenders == []
