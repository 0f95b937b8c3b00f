"""The code stays readable: no file over 400 lines, no function over 60, no class over 300
(issue 8). Counted on the project's own Python files, tests included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("sim", "experiments", "hydra_plugins", "tests")
LIMITS = {"file": 400, "function": 60, "class": 300}


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _too_long() -> list[str]:
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if text.count("\n") > LIMITS["file"]:
            found.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            kind = (
                "function"
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                else "class"
                if isinstance(node, ast.ClassDef)
                else None
            )
            if kind and node.end_lineno - node.lineno + 1 > LIMITS[kind]:
                found.append(f"{name}: {kind} {node.name} {node.end_lineno - node.lineno + 1}")
    return found


def test_files_functions_and_classes_stay_short():
    assert len(_sources()) > 40  # the walk finds the project
    assert _too_long() == []
