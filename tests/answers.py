"""Checklist answers the tests and benchmarks share: plain data from `forms`, no app."""

import forms


def answers_for(template: forms.Template, facility_type: str, failing=()) -> dict:
    """A complete set of valid answers: every applicable item passes except the `failing` codes."""
    answers = {}
    for item in forms.items_for(template, facility_type):
        fail = item.code in failing
        if item.kind == "yes_no":
            value = "no" if fail else "yes"
        elif item.kind == "number":
            if fail:
                value = (item.min - 1) if item.min is not None else (item.max + 1)
            else:
                value = item.min if item.min is not None else item.max
        elif item.kind == "choice":
            value = next(o.code for o in item.options if o.fails == fail)
        else:
            value = "Замечаний нет"
        answers[item.code] = {"value": value}
    return answers
