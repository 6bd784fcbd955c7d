"""The PDF summary's charts, read back with pypdf: counts are drawn on whole-number axes."""

import io
import re

import pypdf
import pytest

from exports.stats_summary import Chart, StatsSummary, write_stats_summary


def axis_labels(chart: Chart) -> list[str]:
    """The numbers printed on the page of a summary holding only `chart` (the value axis' tick labels)."""
    pdf = write_stats_summary(StatsSummary(title="T", scope="S", figures=[], charts=[chart]), "ru")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return re.findall(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w.,])", text)


@pytest.mark.parametrize("values", [[1, 2, 1], [0, 0, 0], [3, 7, 2], [40, 230, 17]])
def test_count_axes_have_whole_number_ticks(values):
    """Two inspections a month must not be read off an axis marked 0, 0.5, 1, 1.5, 2: every tick label is a
    whole number, the axis starts at 0 and reaches the largest bar."""
    labels = axis_labels(Chart("Проверки", ["a", "b", "c"], [("x", "#2e7d32", values)]))
    assert labels and all(re.fullmatch(r"\d+", label) for label in labels), labels
    numbers = [int(label) for label in labels]
    assert min(numbers) == 0 and max(numbers) >= max(values)
    assert len(numbers) <= 11


def test_stacked_bars_reach_their_sum():
    """A stacked chart's axis reaches the tallest stack (2 + 3 = 5), still in whole steps."""
    chart = Chart("Нарушения", ["a", "b"], [("x", "#c62828", [2, 1]), ("y", "#2e7d32", [3, 0])])
    numbers = [int(label) for label in axis_labels(chart)]
    assert max(numbers) >= 5
