"""Demo data shared by the CLI, tests and benchmarks.

generator (a registry as plain dicts, pure Python) and naming (names, people, BINs; word lists in data/),
seed (the registry, users and a published schedule written to the database), audits (submitted demo audits).
"""

from inspect_app.demo.generator import DemoRegistry, generate_registry, is_valid_bin

__all__ = ["DemoRegistry", "generate_registry", "is_valid_bin"]
