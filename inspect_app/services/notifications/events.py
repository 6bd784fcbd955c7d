"""The event registry: for each kind of event, who gets an e-mail, what they may choose, whether webhooks
hear of it, and the message in the recipient's language.

Never a secret: a message says what happened, never what will happen. No composer reads a schedule's visits,
dates or routes; a schedule's event carries its commitment and region only, a facility's never its follow-up
date (the day it becomes due again), a job's never its result (a build's result is a draft schedule).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from inspect_app.labels import label
from inspect_app.models.notification import Delivery, EventKind
from inspect_app.models.vocab import Role

IMMEDIATE, DIGEST, OFF = Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.OFF
SUPERVISOR, MINISTRY, INSPECTOR, ADMIN = Role.SUPERVISOR, Role.MINISTRY, Role.INSPECTOR, Role.ADMIN


@dataclass(frozen=True)
class Composed:
    """A message in one language: subject, paragraphs (plain text; escaped for the HTML part) and a link path."""

    subject: str
    lines: list[str]
    link_path: str = ""


@dataclass(frozen=True)
class EventSpec:
    """One kind of event.

    `users` names who among the users hears of it: "region_supervisors" (the event's region), "concerned" (the
    user the event is about: the audit's inspector, whoever started the job), "owner" (a webhook's owner),
    "ministry" (national figures), or nobody. `facility_email`: the facility's own address hears of it too.
    `defaults` is each role's delivery until they choose; `locked` are roles that may not choose `off`.
    """

    kind: EventKind
    compose: Callable[[dict[str, Any], str], Composed]
    users: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    defaults: dict[str, Delivery] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    facility_email: bool = False
    webhook: bool = False

    def default_for(self, role: str) -> Delivery:
        """The delivery a user of this role gets before choosing."""
        return self.defaults.get(role, IMMEDIATE)

    def allowed_for(self, role: str) -> tuple[Delivery, ...]:
        """The choices a user of this role has for this event."""
        if role in self.locked:
            return IMMEDIATE, DIGEST
        return IMMEDIATE, DIGEST, OFF


def _name(resource: dict[str, Any], locale: str, prefix: str = "facility_") -> str:
    kk, ru = resource.get(f"{prefix}name_kk"), resource.get(f"{prefix}name_ru")
    return (kk if locale == "kk" and kk else ru) or str(resource.get("id", ""))


def _text(value: Any, locale: str) -> str:
    if isinstance(value, dict):
        return str(value.get(locale) or value.get("ru") or next(iter(value.values()), ""))
    return str(value or "")


def _date(value: Any) -> str:
    """A past or deadline date as people write it (dd.mm.yyyy)."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-":
        return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"
    return text


def _critical(resource: dict, locale: str) -> Composed:
    name = _name(resource, locale)
    items = [v for v in resource.get("violations", []) if v.get("severity") == "critical"]
    lines = [_("При проверке объекта «%(name)s» %(date)s выявлены критические нарушения: %(n)s.",
               name=name, date=_date(resource.get("inspection_date")), n=len(items))]
    for item in items:
        lines.append(_("%(item)s — устранить до %(due)s.", item=_text(item.get("item_text"), locale),
                       due=_date(item.get("due_date"))))
    return Composed(_("Критическое нарушение: %(name)s", name=name), lines, f"/audits/{resource.get('id')}")


def _audit_submitted(resource: dict, locale: str) -> Composed:
    name = _name(resource, locale)
    return Composed(_("Акт проверки отправлен: %(name)s", name=name), [
        _("%(inspector)s отправил акт проверки объекта «%(name)s» от %(date)s. Результат: %(result)s.",
          inspector=resource.get("inspector_name", ""), name=name, date=_date(resource.get("inspection_date")),
          result=label(resource.get("result"), "result"))], f"/audits/{resource.get('id')}")


def _audit_returned(resource: dict, locale: str) -> Composed:
    name = _name(resource, locale)
    lines = [_("Акт проверки объекта «%(name)s» от %(date)s возвращён вам на доработку.", name=name,
               date=_date(resource.get("inspection_date")))]
    if resource.get("review_note"):
        lines.append(_("Замечание: %(note)s", note=resource["review_note"]))
    return Composed(_("Акт возвращён на доработку: %(name)s", name=name), lines, f"/audits/{resource.get('id')}")


def _audit_reviewed(resource: dict, locale: str) -> Composed:
    name = _name(resource, locale)
    return Composed(_("Акт проверен: %(name)s", name=name), [
        _("Акт проверки объекта «%(name)s» от %(date)s принят.", name=name,
          date=_date(resource.get("inspection_date")))], f"/audits/{resource.get('id')}")


def _prescription_issued(resource: dict, locale: str) -> Composed:
    name = _name(resource, locale)
    lines = [_("Объекту «%(name)s» выдано предписание об устранении нарушений (пунктов: %(n)s).", name=name,
               n=len(resource.get("items", [])))]
    for item in resource.get("items", []):
        lines.append(_("%(item)s — устранить до %(due)s.", item=_text(item.get("item_text"), locale),
                       due=_date(item.get("due_date"))))
    lines.append(_("По ссылке ниже можно сообщить об устранении каждого пункта."))
    return Composed(_("Предписание: %(name)s", name=name), lines, resource.get("link_path", ""))


def _item(resource: dict, locale: str, subject: str, sentence: str) -> Composed:
    name = _name(resource, locale)
    return Composed(subject % {"name": name}, [sentence % {
        "name": name, "item": _text(resource.get("item_text"), locale), "due": _date(resource.get("due_date"))}],
        resource.get("link_path", ""))


def _due_soon(resource: dict, locale: str) -> Composed:
    return _item(resource, locale, _("Срок устранения через 3 дня: %(name)s"),
                 _("Пункт «%(item)s» предписания объекту «%(name)s» надо устранить до %(due)s."))


def _overdue(resource: dict, locale: str) -> Composed:
    return _item(resource, locale, _("Срок устранения истёк: %(name)s"),
                 _("Срок устранения пункта «%(item)s» предписания объекту «%(name)s» истёк %(due)s."))


def _reported_done(resource: dict, locale: str) -> Composed:
    return _item(resource, locale, _("Объект сообщил об устранении: %(name)s"),
                 _("Объект «%(name)s» сообщил, что пункт «%(item)s» устранён; проверьте подтверждение."))


def _verified(resource: dict, locale: str) -> Composed:
    return _item(resource, locale, _("Устранение подтверждено: %(name)s"),
                 _("Устранение пункта «%(item)s» предписания объекту «%(name)s» подтверждено."))


def _job(resource: dict, locale: str, finished: bool) -> Composed:
    kind = label(resource.get("kind"), "job_kind")
    if finished:
        return Composed(_("Задача завершена: %(kind)s", kind=kind),
                        [_("Задача «%(kind)s», которую вы запустили, завершена. Результат — на странице задачи.",
                           kind=kind)], f"/jobs/{resource.get('id')}")
    return Composed(_("Задача не выполнена: %(kind)s", kind=kind),
                    [_("Задача «%(kind)s», которую вы запустили, не выполнена; ничего не сохранено. Причина — на "
                       "странице задачи.", kind=kind)], f"/jobs/{resource.get('id')}")


def _weekly(resource: dict, locale: str) -> Composed:
    area = resource.get("region_name_kk") if locale == "kk" and resource.get("region_name_kk") else (
        resource.get("region_name_ru") or _("вся страна"))
    lines = [_("Неделя %(start)s — %(end)s, %(area)s.", start=_date(resource.get("week_start")),
               end=_date(resource.get("week_end")), area=area),
             _("Проверок проведено: %(n)s.", n=resource.get("audits", 0)),
             _("Нарушений выявлено: %(n)s, из них критических: %(c)s.", n=resource.get("violations", 0),
               c=resource.get("critical", 0)),
             _("Нарушений устранено: %(n)s.", n=resource.get("resolved", 0)),
             _("Открытых нарушений: %(n)s, из них просроченных: %(o)s.", n=resource.get("open", 0),
               o=resource.get("overdue", 0)),
             _("Объектов добавлено в реестр: %(n)s.", n=resource.get("facilities_added", 0))]
    return Composed(_("Сводка за неделю: %(area)s", area=area), lines, "/dashboard")


def _facility(resource: dict, locale: str, created: bool) -> Composed:
    name = _name(resource, locale, prefix="")
    if created:
        return Composed(_("Объект добавлен в реестр: %(name)s", name=name),
                        [_("В реестр добавлен объект «%(name)s», БИН %(bin)s.", name=name, bin=resource.get("bin"))],
                        f"/facilities/{resource.get('id')}")
    return Composed(_("Объект реестра изменён: %(name)s", name=name),
                    [_("Изменены сведения об объекте «%(name)s», БИН %(bin)s.", name=name, bin=resource.get("bin"))],
                    f"/facilities/{resource.get('id')}")


def _schedule(resource: dict, locale: str) -> Composed:
    return Composed(_("График проверок опубликован"), [
        _("Опубликован график проверок региона %(kato)s. Обязательство (SHA-256): %(commitment)s.",
          kato=resource.get("region_kato"), commitment=resource.get("commitment"))],
        f"/schedules/commitment/{resource.get('commitment')}")


def _endpoint_disabled(resource: dict, locale: str) -> Composed:
    return Composed(_("Вебхук отключён: %(url)s", url=resource.get("url")), [
        _("Адрес %(url)s не принимал события больше суток, поэтому доставка на него остановлена. Неотправленные "
          "события сохранены: исправьте приёмник и включите вебхук снова.", url=resource.get("url"))],
        f"/webhooks/{resource.get('id')}")


def _digest(resource: dict, locale: str) -> Composed:
    lines = [_("Уведомления за %(date)s:", date=_date(resource.get("date")))]
    lines += [f"• {subject}" for subject in resource.get("subjects", [])]
    return Composed(_("Сводка уведомлений за %(date)s", date=_date(resource.get("date"))), lines, "/")


def _test(resource: dict, locale: str) -> Composed:
    return Composed(_("Проверочное событие"), [_("Проверочное событие вебхука.")], "")


SUPERVISORS_ONLY = frozenset({SUPERVISOR})
REGISTRY_READERS = frozenset({ADMIN, MINISTRY, SUPERVISOR})

EVENTS: dict[EventKind, EventSpec] = {spec.kind: spec for spec in (
    EventSpec(EventKind.CRITICAL_VIOLATION, _critical, ("region_supervisors",), SUPERVISORS_ONLY,
              locked=SUPERVISORS_ONLY),
    EventSpec(EventKind.AUDIT_SUBMITTED, _audit_submitted, ("region_supervisors",), SUPERVISORS_ONLY,
              defaults={SUPERVISOR: DIGEST}, webhook=True),
    EventSpec(EventKind.AUDIT_RETURNED, _audit_returned, ("concerned",), frozenset({INSPECTOR})),
    EventSpec(EventKind.AUDIT_REVIEWED, _audit_reviewed, ("concerned",), frozenset({INSPECTOR}),
              defaults={INSPECTOR: DIGEST}, webhook=True),
    EventSpec(EventKind.PRESCRIPTION_ISSUED, _prescription_issued, (), facility_email=True, webhook=True),
    EventSpec(EventKind.ITEM_DUE_SOON, _due_soon, ("region_supervisors",), SUPERVISORS_ONLY,
              defaults={SUPERVISOR: DIGEST}, facility_email=True),
    EventSpec(EventKind.ITEM_OVERDUE, _overdue, ("region_supervisors",), SUPERVISORS_ONLY, facility_email=True,
              webhook=True),
    EventSpec(EventKind.ITEM_REPORTED_DONE, _reported_done, ("region_supervisors",), SUPERVISORS_ONLY,
              webhook=True),
    EventSpec(EventKind.ITEM_VERIFIED, _verified, (), facility_email=True, webhook=True),
    EventSpec(EventKind.JOB_FINISHED, lambda r, loc: _job(r, loc, True), ("concerned",),
              frozenset({ADMIN, MINISTRY, SUPERVISOR})),
    EventSpec(EventKind.JOB_FAILED, lambda r, loc: _job(r, loc, False), ("concerned",),
              frozenset({ADMIN, MINISTRY, SUPERVISOR})),
    EventSpec(EventKind.WEEKLY_SUMMARY, _weekly, ("region_supervisors", "ministry"),
              frozenset({SUPERVISOR, MINISTRY})),
    EventSpec(EventKind.FACILITY_CREATED, lambda r, loc: _facility(r, loc, True), ("region_supervisors",),
              SUPERVISORS_ONLY, defaults={SUPERVISOR: OFF}, webhook=True),
    EventSpec(EventKind.FACILITY_CHANGED, lambda r, loc: _facility(r, loc, False), ("region_supervisors",),
              SUPERVISORS_ONLY, defaults={SUPERVISOR: OFF}, webhook=True),
    EventSpec(EventKind.SCHEDULE_PUBLISHED, _schedule, (), webhook=True),
    EventSpec(EventKind.ENDPOINT_DISABLED, _endpoint_disabled, ("owner",)),
    EventSpec(EventKind.DAILY_DIGEST, _digest, ("concerned",)),
    EventSpec(EventKind.WEBHOOK_TEST, _test, ()),
)}
# What a webhook may subscribe to (the test event is sent by its button, to that endpoint only).
WEBHOOK_EVENTS = tuple(kind for kind, spec in EVENTS.items() if spec.webhook)


def choosable(role: str) -> list[EventSpec]:
    """The events a user of this role hears of by e-mail and may set a preference for."""
    return [spec for spec in EVENTS.values() if role in spec.roles]
