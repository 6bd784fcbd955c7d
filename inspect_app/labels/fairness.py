"""The engine's fairness table (scheduler/fairness.py): its axes, its groups and why a group is flagged."""

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

from inspect_app.labels.vocabularies import LABELS, label

# The engine's fairness stats (scheduler/fairness.py): the axes facilities are grouped by, and why a group waits.
FAIRNESS_AXES = {
    "skills": _l("Нужные навыки"),
    "service": _l("Длительность проверки"),
    "window": _l("Часы работы"),
    "distance": _l("До ближайшего инспектора"),
    "kind": _l("Тип объекта"),
}
FAIRNESS_REASONS = {
    "too_far": _l("часть этих объектов слишком далеко для однодневного выезда"),
    "dates": _l("часть этих объектов закрыта во все дни, когда свободны подходящие инспекторы"),
    "skills": _l("ни у одного инспектора нет нужных навыков"),
    "conflict": _l("все подходящие инспекторы отведены из-за конфликта интересов"),
    "window": _l("часы работы короче проверки"),
}


def fairness_group(axis: str, row: dict) -> str:
    """A group of the fairness table as a person reads it: "Безопасность, Питание", "60–90 мин", "Детский сад"."""
    key, bounds = row.get("key", ""), row.get("range")
    if axis == "skills":
        order = list(LABELS["skill"])
        skills = sorted((x for x in key.split("+") if x),
                        key=lambda x: (order.index(x) if x in order else len(order), x))
        return ", ".join(label(skill, "skill") for skill in skills)
    if axis == "kind":
        return label(key or "other", "type")
    if axis == "distance" and key == "none":
        return gettext("нет подходящего инспектора")
    if not bounds:
        return key
    low, high = bounds
    if axis == "service":
        return gettext("%(low)s–%(high)s мин", low=_number(low), high=_number(high)) if low != high else \
            gettext("%(n)s мин", n=_number(low))
    if axis == "distance":
        return gettext("%(low)s–%(high)s км", low=_number(low), high=_number(high))
    hours = "–".join(format_decimal(m / 60, format="0.0") for m in ((low, high) if low != high else (low,)))
    if key == "narrow":
        return gettext("узкие: начать проверку можно в течение %(hours)s ч", hours=hours)
    return gettext("широкие: начать проверку можно в течение %(hours)s ч", hours=hours)


def _number(value: float) -> str:
    """A bound in the UI language's digits: "2,3" in ru and kk, "2.3" in English (it was "2.3" everywhere)."""
    return format_decimal(value, format="#,##0.##")


def fairness_warning(entry: dict, group: str, best: str) -> str:
    """Why a group of the fairness table is flagged, as a sentence: the rates, the priority and the cause."""
    said = gettext("«%(group)s» (%(axis)s, приоритет %(cls)s): посещено %(rate)s%% обязательных объектов, "
                   "у «%(best)s» %(best_rate)s%%.", group=group, axis=str(FAIRNESS_AXES.get(entry["axis"], "")).lower(),
                   cls=entry["class"], rate=round(100 * entry["rate"]), best=best,
                   best_rate=round(100 * entry["best_rate"]))
    reason = entry.get("reason")
    if reason == "scarce_skills":
        why = gettext("Причина: инспекторов с нужными навыками всего %(n)s, и их дни заняты проверками, "
                      "которые ждут не меньше.", n=entry.get("inspectors", 0))
    elif reason in FAIRNESS_REASONS:
        why = gettext("Причина: %(reason)s.", reason=FAIRNESS_REASONS[reason])
    else:
        why = gettext("Причина не найдена: эти объекты ждут чаще других без объяснимой причины. Перестройте "
                      "график с другим начальным значением (seed) или сообщите администратору, прежде чем "
                      "публиковать.")
    return f"{said} {why}"

