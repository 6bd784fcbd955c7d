"""Modules over 400 lines and functions over 60 lines in inspect_app/, scheduler/, forms/, exports/.

The limits of issue 15 ("the house"): migrations and the demo data are left out. Prints each one found and
exits 1 when there is any: `python tools/sizes.py`.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("inspect_app", "scheduler", "forms", "exports")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized() -> list[str]:
    """One line per module or function over its limit."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if {"migrations", "demo"} & set(path.parts):
                continue
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(ROOT)
            lines = len(text.splitlines())
            if lines > MAX_MODULE_LINES:
                found.append(f"module   {lines:4} lines  {name}")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"function {length:4} lines  {name}:{node.lineno} {node.name}")
    return found


if __name__ == "__main__":
    report = oversized()
    print("\n".join(report) or "nothing over the limits")
    sys.exit(1 if report else 0)
