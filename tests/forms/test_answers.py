from datetime import date

import pytest

from forms import (
    derive_violations,
    followup_due,
    load_template,
    score,
    validate_answers,
)
from forms.model import TEMPLATES_DIR
from tests.answers import answers_for

# Pure tests: no database transaction needed.


@pytest.fixture(scope="module")
def tpl():
    return load_template(TEMPLATES_DIR / "national.yaml")


def all_passing(tpl, facility_type="school"):
    """A complete answer set where every applicable item passes."""
    return answers_for(tpl, facility_type)


def codes(errors):
    return {(e.item_code, e.code) for e in errors}


def test_complete_passing_answers_are_valid_and_score_100(tpl):
    answers = all_passing(tpl)
    assert validate_answers(tpl, "school", answers, final=True) == []
    result = score(tpl, "school", answers)
    assert result.overall == 100.0
    assert result.result == "pass"
    assert result.complete
    assert {s.code: s.score for s in result.sections} == {"safety": 100.0, "nutrition": 100.0, "health": 100.0}


def test_draft_may_be_incomplete_but_final_may_not(tpl):
    answers = {"safety.panic_button": {"value": "yes"}}
    assert validate_answers(tpl, "school", answers, final=False) == []
    errors = validate_answers(tpl, "school", answers, final=True)
    missing = {e.item_code for e in errors if e.code == "missing_answer"}
    assert "safety.video_police" in missing
    assert "safety.panic_button" not in missing
    assert "safety.notes" not in missing  # free text is optional
    assert "safety.personal_safety_lessons" in missing
    camp_missing = {e.item_code for e in validate_answers(tpl, "summer_camp", {}, final=True)}
    assert "safety.personal_safety_lessons" not in camp_missing


def test_unknown_and_not_applicable_items(tpl):
    errors = validate_answers(
        tpl,
        "kindergarten",
        {
            "safety.teleport": {"value": "yes"},
            "safety.turnstiles": {"value": "yes"},
        },
        final=False,
    )
    assert codes(errors) == {("safety.teleport", "unknown_item"), ("safety.turnstiles", "not_applicable")}
    assert all(e.message for e in errors)


@pytest.mark.parametrize("value,ok", [("yes", True), ("no", True), ("maybe", False), (True, False), (1, False)])
def test_yes_no_values(tpl, value, ok):
    errors = validate_answers(tpl, "school", {"safety.panic_button": {"value": value}}, final=False)
    assert (errors == []) is ok
    if not ok:
        assert codes(errors) == {("safety.panic_button", "not_yes_no")}


def test_na_only_where_allowed(tpl):
    errors = validate_answers(tpl, "school", {"safety.panic_button": {"value": "na"}}, final=False)
    assert codes(errors) == {("safety.panic_button", "na_not_allowed")}
    assert validate_answers(tpl, "school", {"nutrition.free_meals": {"value": "na"}}, final=False) == []


@pytest.mark.parametrize("value", [4, 4.5, "4,5", "3.0", 9, -1, "12"])
def test_number_values_in_or_out_of_range_are_valid(tpl, value):
    assert validate_answers(tpl, "school", {"nutrition.fridge_temp": {"value": value}}, final=False) == []


@pytest.mark.parametrize("value", ["warm", "", "4 градуса", [4], float("nan"), True])
def test_number_invalid(tpl, value):
    errors = validate_answers(tpl, "school", {"nutrition.fridge_temp": {"value": value}}, final=True)
    expected = "missing_answer" if value == "" else "not_a_number"
    assert ("nutrition.fridge_temp", expected) in codes(errors)


def test_number_out_of_range_fails_in_score(tpl):
    answers = all_passing(tpl)
    answers["nutrition.fridge_temp"] = {"value": "9,5", "photos": ["p1"]}
    result = score(tpl, "school", answers)
    assert "nutrition.fridge_temp" in result.critical_failures
    assert result.result == "fail"


def test_choice_values(tpl):
    good = validate_answers(tpl, "school", {"safety.extinguishers": {"value": "expired"}}, final=False)
    assert good == []
    bad = validate_answers(tpl, "school", {"safety.extinguishers": {"value": "lots"}}, final=False)
    assert codes(bad) == {("safety.extinguishers", "out_of_options")}
    assert "ok, expired, missing" in bad[0].message
    wrong = validate_answers(tpl, "school", {"safety.extinguishers": {"value": 3}}, final=False)
    assert codes(wrong) == {("safety.extinguishers", "wrong_type")}


def test_text_never_fails_but_must_be_text(tpl):
    answers = all_passing(tpl)
    answers["safety.notes"] = {"value": "Охранник спал на посту"}
    assert score(tpl, "school", answers).result == "pass"
    errors = validate_answers(tpl, "school", {"safety.notes": {"value": 5}}, final=False)
    assert codes(errors) == {("safety.notes", "wrong_type")}


def test_malformed_answer_shapes(tpl):
    errors = validate_answers(
        tpl,
        "school",
        {
            "safety.panic_button": "yes",
            "safety.video_police": {"value": "yes", "photos": "p1"},
            "safety.guard_licensed": {"value": "yes", "colour": "red"},
        },
        final=False,
    )
    assert codes(errors) == {
        ("safety.panic_button", "wrong_type"),
        ("safety.video_police", "wrong_type"),
        ("safety.guard_licensed", "wrong_type"),
    }


def test_photo_required_when_failed_on_final(tpl):
    answers = all_passing(tpl)
    answers["safety.panic_button"] = {"value": "no", "photos": []}
    answers["safety.guard_licensed"] = {"value": "no"}  # no photo required for this one
    assert validate_answers(tpl, "school", answers, final=False) == []
    errors = validate_answers(tpl, "school", answers, final=True)
    assert codes(errors) == {("safety.panic_button", "photo_required")}
    answers["safety.panic_button"]["photos"] = ["ph-17"]
    assert validate_answers(tpl, "school", answers, final=True) == []


def test_failed_number_out_of_range_needs_photo(tpl):
    answers = all_passing(tpl)
    answers["nutrition.fridge_temp"] = {"value": 11}
    assert codes(validate_answers(tpl, "school", answers, final=True)) == {("nutrition.fridge_temp", "photo_required")}


def test_score_weights_and_na_exclusion(tpl):
    answers = all_passing(tpl, "school")
    answers["nutrition.portion_weight"] = {"value": "no"}  # minor: -1
    answers["nutrition.menu_approved"] = {"value": "no"}  # major: -3
    answers["nutrition.free_meals"] = {"value": "na"}  # critical, excluded
    result = score(tpl, "school", answers)
    nutrition = result.section("nutrition")
    assert nutrition.na == 1 and nutrition.failed == 2
    assert nutrition.max_points == nutrition.points + 4
    assert nutrition.score == round(100 * nutrition.points / nutrition.max_points, 1)
    assert nutrition.score < 100
    assert result.section("safety").score == 100.0
    assert result.result == "pass_with_violations"
    assert result.critical_failures == ()
    with_na_failing = dict(answers, **{"nutrition.free_meals": {"value": "no"}})
    assert score(tpl, "school", with_na_failing).section("nutrition").max_points == nutrition.max_points + 5


def test_critical_failure_fails_even_with_high_score(tpl):
    answers = all_passing(tpl)
    answers["health.nurse_present"] = {"value": "no"}
    result = score(tpl, "school", answers)
    assert result.overall > 90
    assert result.critical_failures == ("health.nurse_present",)
    assert result.result == "fail"


def test_low_score_fails_without_critical(tpl):
    answers = all_passing(tpl)
    for code, (_sec, item) in tpl.items_by_code.items():
        if code in answers and item.kind == "yes_no" and item.severity != "critical":
            answers[code] = {"value": "no"}
    result = score(tpl, "school", answers)
    assert not result.critical_failures
    assert result.overall < 70
    assert result.result == "fail"


def test_incomplete_score_counts_answered_only(tpl):
    result = score(tpl, "school", {"safety.panic_button": {"value": "yes"}})
    assert result.overall == 100.0 and not result.complete
    assert result.section("health").score is None
    assert score(tpl, "school", {}).overall is None


def test_violations_with_default_and_custom_deadlines(tpl):
    answers = all_passing(tpl)
    answers["safety.panic_button"] = {"value": "no", "comment": "Кнопка не работает", "photos": ["a"]}
    answers["safety.turnstiles"] = {"value": "no"}
    answers["safety.outdoor_lighting"] = {"value": "no"}
    day = date(2026, 2, 2)
    violations = derive_violations(tpl, "school", answers, day)
    by_code = {v.item_code: v for v in violations}
    assert set(by_code) == {"safety.panic_button", "safety.turnstiles", "safety.outdoor_lighting"}
    assert by_code["safety.panic_button"].due_date == date(2026, 2, 12)
    assert by_code["safety.turnstiles"].due_date == date(2026, 3, 4)
    assert by_code["safety.outdoor_lighting"].due_date == date(2026, 4, 3)
    panic = by_code["safety.panic_button"]
    assert panic.responsible == "facility_head"
    assert "тревожную кнопку" in panic.corrective_action.ru
    assert "Дабыл түймесін" in panic.corrective_action.kk
    assert panic.comment == "Кнопка не работает" and panic.photos == ("a",)
    custom = derive_violations(tpl, "school", answers, day, deadlines={"critical": 3}, responsible="director")
    assert {v.item_code: v.due_date for v in custom}["safety.panic_button"] == date(2026, 2, 5)
    assert all(v.responsible == "director" for v in custom)


def test_no_violations_for_passing_na_or_inapplicable(tpl):
    answers = all_passing(tpl, "kindergarten")
    answers["safety.turnstiles"] = {"value": "no"}  # not asked in a kindergarten
    assert derive_violations(tpl, "kindergarten", answers, date(2026, 1, 1)) == []


def test_followup_due_day_after_critical_deadline(tpl):
    day = date(2026, 2, 2)
    answers = all_passing(tpl)
    answers["safety.turnstiles"] = {"value": "no"}
    minor_only = derive_violations(tpl, "school", answers, day)
    assert followup_due(minor_only) is None
    answers["health.nurse_present"] = {"value": "no"}
    violations = derive_violations(tpl, "school", answers, day)
    assert followup_due(violations) == date(2026, 2, 13)
    assert followup_due([]) is None


def test_min_only_number_item(tpl):
    answers = all_passing(tpl)
    answers["safety.video_archive_days"] = {"value": "10"}
    result = score(tpl, "school", answers)
    assert result.failed_items == ("safety.video_archive_days",)
    assert result.result == "pass_with_violations"


def test_required_text_item_must_be_filled_on_final():
    from forms import template_from_dict

    tpl = template_from_dict(
        {
            "code": "mini",
            "version": 1,
            "title": {"ru": "Мини", "kk": "Шағын", "en": "Mini"},
            "sections": [
                {
                    "code": "health",
                    "title": {"ru": "Здоровье", "kk": "Денсаулық", "en": "Health"},
                    "items": [
                        {
                            "code": "health.summary",
                            "kind": "text",
                            "severity": "minor",
                            "required": True,
                            "text": {"ru": "Итог", "kk": "Қорытынды", "en": "Summary"},
                        }
                    ],
                }
            ],
        }
    )
    assert codes(validate_answers(tpl, "other", {}, final=True)) == {("health.summary", "missing_answer")}
    assert codes(validate_answers(tpl, "other", {"health.summary": {"value": "  "}}, final=True)) == {
        ("health.summary", "missing_answer")
    }
    assert validate_answers(tpl, "other", {"health.summary": {"value": "Всё в порядке"}}, final=True) == []
    assert score(tpl, "other", {"health.summary": {"value": "x"}}).overall is None
