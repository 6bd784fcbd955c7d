"""Demo data for development, screenshots and benchmarks (pure Python)."""

from inspect_app.demo.generator import DemoRegistry, generate_registry, is_valid_bin

__all__ = ["DemoRegistry", "generate_registry", "is_valid_bin"]
