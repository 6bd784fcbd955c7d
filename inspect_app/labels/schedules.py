"""What a supervisor reads about a schedule: why an inspector is idle, why a hand edit was refused and what to
change instead, why a facility was left unscheduled."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from inspect_app import sentences
from inspect_app.labels.vocabularies import label
from inspect_app.sentences import violation_sentence

# Why an inspector of a schedule has no visit in it (services/schedules/review.py `idle_reason`).
IDLE_REASONS = {
    "absent": _l("отсутствует во все дни графика"),
    "no_eligible": _l("нет объекта, который он может проверить: не хватает навыков, другой регион или конфликт "
                      "интересов"),
    "not_needed": _l("расчёт не назначил ему посещений: объекты, которые он может проверить (%(n)s), достались "
                     "другим инспекторам с меньшим пробегом или не поместились"),
}
# What a supervisor can change when a hand edit breaks a rule (the rule itself is said by RULE_SENTENCES).
_PICK_OTHER_DAY = _l("выберите другой день")
_PICK_OTHER_INSPECTOR = _l("выберите другого инспектора")
_LIGHTER_DAY = _l("выберите день, где у инспектора меньше посещений, или другого инспектора, или сначала уберите "
                  "одно из посещений этого дня")
RULE_ADVICE = {
    "horizon": _PICK_OTHER_DAY,
    "inspector_unavailable": _l("выберите другой день или другого инспектора: в этот день он отсутствует"),
    "skills": _PICK_OTHER_INSPECTOR, "conflict_of_interest": _PICK_OTHER_INSPECTOR, "region": _PICK_OTHER_INSPECTOR,
    "facility_dates": _PICK_OTHER_DAY,
    "max_visits_per_day": _LIGHTER_DAY, "max_minutes_per_day": _LIGHTER_DAY, "working_hours": _LIGHTER_DAY,
    "travel_time": _LIGHTER_DAY, "opening_hours": _LIGHTER_DAY, "time_windows": _LIGHTER_DAY,
    "one_route_per_day": _PICK_OTHER_DAY, "visited_twice": _l("уберите второе посещение этого объекта"),
    "must_visit": _l("вместо удаления перенесите обязательное посещение на другой день или к другому инспектору"),
    "priority": _l("уберите или перенесите менее важное посещение, а не более важное"),
}
# Checks of the schedule's own bookkeeping (km, times, totals): a consequence of the edit, nothing a supervisor
# sets; a refusal that breaks only these says that the edited day no longer forms a route.
INTERNAL_RULES = frozenset({"time_format", "unknown_id", "travel_km", "unscheduled", "stats", "problem",
                            "service_minutes", "empty_route"})


def idle_reason(code: str, eligible: int = 0) -> str:
    """Why an inspector has no visit in a schedule, in the UI language."""
    text = IDLE_REASONS.get(code)
    if text is None:
        return code
    return str(text) % {"n": eligible} if code == "not_needed" else str(text)


def edit_refusal(violations: list[dict], facility_name=lambda fid: fid, inspector_name=lambda iid: iid) -> str:
    """Why a hand edit was refused and what the supervisor can change instead, in the UI language.

    Rules a supervisor acts on are named with who, when and where; the schedule's bookkeeping checks
    (INTERNAL_RULES) are left out when such a rule is there, and otherwise said as one sentence."""
    actionable = [v for v in violations if v.get("rule") not in INTERNAL_RULES]
    if actionable:
        seen, sentences = set(), []
        for v in actionable:
            sentence = violation_sentence(v, facility_name, inspector_name)
            if sentence not in seen:
                seen.add(sentence)
                sentences.append(sentence)
        why = "; ".join(sentences[:5])
    else:
        why = gettext("после правки маршрут дня не складывается (время или пробег не сходятся)")
    advice = []
    for v in actionable:
        text = str(RULE_ADVICE.get(v.get("rule"), ""))
        if text and text not in advice:
            advice.append(text)
    if not advice:
        advice.append(gettext("выберите другой день или другого инспектора"))
    return gettext("Правка не принята: %(why)s. Что можно сделать: %(advice)s.", why=why, advice="; ".join(advice))


def unscheduled_reason(reason: str, facility_name=lambda fid: fid, region_name=lambda kato: kato) -> str:
    """Why the engine left a facility unscheduled, in the UI language, its skills named by their labels."""
    return sentences.unscheduled_reason(reason, facility_name, region_name, lambda skill: label(skill, "skill"))

