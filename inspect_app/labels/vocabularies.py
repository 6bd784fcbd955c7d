"""The registry of vocabularies: each code the app stores or computes (`LABELS[kind][code]`), with `label` and
`labels_of` to read it in the UI language."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "type": {
        "school": _l("Школа"),
        "kindergarten": _l("Детский сад"),
        "college": _l("Колледж"),
        "summer_camp": _l("Летний лагерь"),
        "sports_club": _l("Спортивная секция"),
        "leisure_centre": _l("Центр досуга и культуры"),
        "boarding_school": _l("Интернат"),
        "other": _l("Другое"),
    },
    "agency": {
        "education": _l("Образование"),
        "health": _l("Здравоохранение"),
        "culture_sport": _l("Культура и спорт"),
        "tourism": _l("Туризм"),
        "internal_affairs": _l("Внутренние дела"),
        "akimat": _l("Акимат"),
        "private": _l("Частная"),
    },
    "risk": {"high": _l("Высокий"), "medium": _l("Средний"), "low": _l("Низкий")},
    "status": {"active": _l("Действует"), "seasonal": _l("Сезонный"), "closed": _l("Закрыт")},
    "skill": {"safety": _l("Безопасность"), "nutrition": _l("Питание"), "health": _l("Здоровье")},
    "role": {
        "admin": _l("Администратор"),
        "ministry": _l("Министерство"),
        "supervisor": _l("Руководитель"),
        "inspector": _l("Инспектор"),
    },
    "basis": {
        "planned": _l("Плановая (по списку риска)"),
        "unplanned": _l("Внеплановая"),
        "monitoring": _l("Мониторинговое посещение"),
    },
    "reason": {
        "prior_order": _l("Контроль исполнения предписания"),
        "complaint": _l("Обращение (жалоба)"),
        "prosecutor_demand": _l("Требование прокурора"),
        "state_body_request": _l("Поручение государственного органа"),
        "media_report": _l("Сообщение СМИ"),
    },
    "result": {
        "pass": _l("Соответствует"),
        "pass_with_violations": _l("Соответствует с нарушениями"),
        "fail": _l("Не соответствует"),
    },
    "audit_status": {"draft": _l("Черновик"), "submitted": _l("Отправлена"), "discarded": _l("Удалена")},
    "severity": {"critical": _l("Критическое"), "major": _l("Значительное"), "minor": _l("Незначительное")},
    "violation_status": {"open": _l("Не устранено"), "resolved": _l("Устранено"), "superseded": _l("Заменено")},
    # A supervisor's review decision on a submitted audit (models/review.py ReviewOutcome).
    "review_outcome": {"accepted": _l("Принята"), "returned": _l("Возвращена на доработку")},
    # How a report marks each checklist item.
    "item_status": {
        "passed": _l("Соответствует"),
        "failed": _l("Нарушение"),
        "na": _l("Не применимо"),
        "noted": _l("Отмечено"),
        "unanswered": _l("Нет ответа"),
    },
    "responsible": {"facility_head": _l("Руководитель организации")},
    # The administration history's actions (services/accounts/history.py ACTIONS).
    "admin_action": {
        "user_created": _l("создана учётная запись"),
        "role_changed": _l("изменена роль"),
        "region_changed": _l("изменён регион"),
        "language_changed": _l("изменён язык"),
        "deactivated": _l("учётная запись отключена"),
        "reactivated": _l("учётная запись включена"),
        "password_changed": _l("изменён пароль"),
        "password_reset_link": _l("выдана ссылка для смены пароля"),
        "temporary_password": _l("выдан временный пароль"),
        "token_created": _l("создан токен API"),
        "token_revoked": _l("отозван токен API"),
        "tokens_revoked": _l("отозваны все токены API"),
        "checklist_uploaded": _l("загружена версия чек-листа"),
        "checklist_activated": _l("версия чек-листа введена в действие"),
        "checklist_rebased": _l("расширение региона перенесено на новую национальную версию"),
        "setting_changed": _l("изменена настройка"),
    },
    # Settings changed on the settings page (models/setting.py SPECS).
    "setting": {
        "interval_high_days": _l("Интервал плановых проверок, высокий риск (дней)"),
        "interval_medium_days": _l("Интервал плановых проверок, средний риск (дней)"),
        "interval_low_days": _l("Интервал плановых проверок, низкий риск (дней)"),
        "route_release_hour": _l("Час открытия маршрута дня (по Алматы)"),
        "route_evening_release_hour": _l("Час открытия маршрута накануне вечером (по Алматы)"),
        "checkin_max_distance_m": _l("Отметка прибытия дальше от объекта помечается (м)"),
        "schedule_fill": _l("Доля свободного времени для дополнительных посещений (0–1)"),
        "deadline_critical_days": _l("Срок устранения критического нарушения (дней)"),
        "deadline_major_days": _l("Срок устранения значительного нарушения (дней)"),
        "deadline_minor_days": _l("Срок устранения незначительного нарушения (дней)"),
        "prescription_min_days": _l("Наименьший срок устранения по предписанию после вручения (дней)"),
    },
    # A prescription item's state (models/prescription.py ItemState; "overdue" is derived).
    "item_state": {
        "open": _l("Ожидает устранения"),
        "reported": _l("Объект сообщил об устранении"),
        "verified": _l("Устранено"),
        "not_fixed": _l("Не устранено"),
        "superseded": _l("Заменено исправлением акта"),
        "overdue": _l("Просрочено"),
    },
    # What happened to a prescription item (models/prescription.py EventKind).
    "prescription_event": {
        "issued": _l("Предписание вручено"),
        "reported": _l("Руководитель сообщил об устранении"),
        "accepted": _l("Доказательства приняты"),
        "rejected": _l("Доказательства отклонены"),
        "passed_followup": _l("Устранено по повторной проверке"),
        "failed_followup": _l("Не устранено по повторной проверке"),
        "deadline": _l("Установлен новый срок"),
        "superseded": _l("Заменено исправлением акта"),
    },
    "checklist_state": {
        "draft": _l("Черновик"),
        "in_force": _l("Действует"),
        "scheduled": _l("Вступит в действие"),
        "replaced": _l("Заменена"),
    },
    "checklist_change": {
        "added": _l("Добавлен"),
        "removed": _l("Удалён"),
        "reworded": _l("Изменена формулировка"),
        "severity": _l("Изменена категория"),
    },
    "job_kind": {
        "schedule_build": _l("Построение графика"),
        "schedule_region": _l("Построение графика региона"),
        "report_batch": _l("Акты за период (ZIP)"),
        "capacity_whatif": _l("Расчёт «что если»"),
        "stats_export": _l("Выгрузка показателей"),
    },
    # Notifications (services/notifications): what happened, how a user wants to hear of it, where a message is.
    "notify_event": {
        "critical_violation": _l("Критическое нарушение выявлено"),
        "audit_submitted": _l("Акт проверки отправлен"),
        "audit_returned": _l("Акт возвращён на доработку"),
        "audit_reviewed": _l("Акт проверен"),
        "prescription_issued": _l("Предписание выдано"),
        "item_due_soon": _l("Срок пункта предписания через 3 дня"),
        "item_overdue": _l("Срок пункта предписания истёк"),
        "item_reported_done": _l("Объект сообщил об устранении"),
        "item_verified": _l("Устранение подтверждено"),
        "job_finished": _l("Задача завершена"),
        "job_failed": _l("Задача не выполнена"),
        "weekly_summary": _l("Сводка за неделю"),
        "facility_created": _l("Объект добавлен в реестр"),
        "facility_changed": _l("Объект реестра изменён"),
        "schedule_published": _l("График опубликован"),
        "endpoint_disabled": _l("Вебхук отключён"),
        "daily_digest": _l("Сводка уведомлений за день"),
        "webhook_test": _l("Проверочное событие"),
    },
    "notify_delivery": {
        "immediate": _l("сразу"),
        "digest": _l("в сводке за день"),
        "off": _l("не присылать"),
    },
    "mail_status": {
        "pending": _l("ждёт отправки"),
        "sending": _l("отправляется"),
        "sent": _l("отправлено"),
        "digest": _l("ждёт сводки за день"),
        "digested": _l("вошло в сводку"),
        "failed": _l("не отправлено"),
    },
    "hook_status": {
        "pending": _l("ждёт доставки"),
        "delivered": _l("доставлено"),
    },
    # What the jobs page says a background job is doing ("stalled": running, but its worker stopped answering).
    "job_status": {
        "queued": _l("в очереди"),
        "running": _l("выполняется"),
        "finished": _l("завершено"),
        "failed": _l("ошибка"),
        "cancelled": _l("отменено"),
        "stalled": _l("не отвечает"),
    },
    # The live figures a running build reports (services/jobs.py `report(..., live=...)`).
    "job_live": {
        "elapsed": _l("прошло, с"),
        "regions_done": _l("регионов готово"),
        "regions": _l("регионов"),
        "visits_routed": _l("посещений в маршрутах (лучшее пока)"),
        "region": _l("регион"),
        "areas": _l("участков"),
        "done": _l("готово"),
        "total": _l("всего"),
    },
    "schedule_status": {
        "draft": _l("черновик"),
        "published": _l("опубликован"),
        "superseded": _l("заменён"),
        "discarded": _l("отклонён"),
    },
    "revision_kind": {
        "replacement": _l("замена с даты"),
        "repair": _l("перестроение из-за отсутствия"),
        "urgent": _l("срочная проверка"),
    },
    "urgent_reason": {"hotline_111": _l("Жалоба на линию 111"), "incident": _l("Происшествие"), "other": _l("Другое")},
    # Unscheduled facilities grouped by what a supervisor can do (services/schedules/capacity.py).
    "unscheduled_group": {
        "capacity": _l("Не хватило инспекторо-дней"),
        "too_far": _l("Слишком далеко для однодневного выезда"),
        "skills": _l("Нет инспектора с нужной квалификацией"),
        "conflict": _l("Все подходящие инспекторы в конфликте интересов"),
        "window": _l("Часы работы короче проверки"),
        "dates": _l("Нет даты, когда объект открыт и инспектор свободен"),
        "removed": _l("Убраны руководителем"),
        "absence": _l("Инспектор отсутствует, заменить некем"),
        "other": _l("Другие причины"),
    },
    # A visit as the inspector's day shows it ("phone": a draft kept on the phone, not sent yet).
    "visit_status": {
        "planned": _l("Запланировано"),
        "checked_in": _l("Прибыл на объект"),
        "phone": _l("Черновик на телефоне"),
        "draft": _l("Черновик отправлен"),
        "submitted": _l("Акт отправлен"),
        "not_done": _l("Не состоялось"),
    },
    "not_done_reason": {
        "closed": _l("Объект закрыт"),
        "refused_entry": _l("Отказ в допуске"),
        "not_found": _l("Объект не найден"),
        "inspector_ill": _l("Болезнь инспектора"),
        "other": _l("Другая причина"),
    },
    # How a route was read (the read log of services/schedules/read_log.py).
    "read_channel": {
        "page": _l("Страница"),
        "api": _l("API"),
        "pdf": _l("Маршрутный лист PDF"),
        "calendar": _l("Календарь"),
        "export": _l("Выгрузка"),
        "offline": _l("Офлайн"),
    },
    "route_release": {"morning": _l("В день маршрута с утра"), "evening": _l("Накануне вечером")},
    # The dashboard's downloadable tables.
    "dashboard_table": {"regions": _l("Регионы"), "violations": _l("Нарушения"), "items": _l("Пункты")},
}
# A facility's own closure, by reason (vocab.CLOSURE_REASONS).
CLOSURE_REASONS = {
    "repair": _l("ремонт"),
    "quarantine": _l("карантин"),
    "emergency": _l("чрезвычайная ситуация"),
    "other": _l("другое"),
}
BASIS_LABELS = LABELS["basis"]
REASON_LABELS = LABELS["reason"]
RESULT_LABELS = LABELS["result"]
STATUS_LABELS = LABELS["audit_status"]
VISIT_STATUS_LABELS = LABELS["visit_status"]
NOT_DONE_LABELS = LABELS["not_done_reason"]
CHANNEL_LABELS = LABELS["read_channel"]
RELEASE_LABELS = LABELS["route_release"]
URGENT_REASON_LABELS = LABELS["urgent_reason"]
SEVERITY_LABELS = LABELS["severity"]
VIOLATION_STATUS_LABELS = LABELS["violation_status"]
REVIEW_OUTCOME_LABELS = LABELS["review_outcome"]


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


def labels_of(kind: str) -> dict[str, str]:
    """Every code of a vocabulary with its label in the UI language ({} for an unknown vocabulary)."""
    return {code: str(text) for code, text in LABELS.get(kind, {}).items()}


def closure_reason(code: str) -> str:
    """A facility closure's reason in the UI language."""
    return str(CLOSURE_REASONS.get(code, code))

