"""Every label a person reads for a code: vocabulary values, record fields, history actions, report headings.

One place, translated once through the Babel catalogs: pages use them directly, PDF reports through
`report_labels` (exports/ knows nothing of Flask, so it receives the translated strings).
Sentences made from the engine's and the jobs' English messages are in `sentences.py`, re-exported here.
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from inspect_app import sentences
from inspect_app.sentences import (  # noqa: F401 (their home was here; pages and services import them from here)
    EXCLUSION_REASONS,
    HOLIDAY_MARKS,
    HOLIDAYS,
    JOB_PHASES,
    RULE_SENTENCES,
    UNSCHEDULED_REASONS,
    duplicate_reason,
    exclusion_reason,
    holiday_name,
    job_phase,
    predictability_sentence,
    template_problem,
    violation_sentence,
)

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


FIELD_LABELS = {
    "bin": _l("БИН"),
    "name_ru": _l("Название (рус.)"),
    "name_kk": _l("Название (каз.)"),
    "type": _l("Тип"),
    "agency": _l("Ведомство"),
    "region_kato": _l("Регион"),
    "district_kato": _l("Район"),
    "region_id": _l("Регион"),
    "district_id": _l("Район"),
    "address": _l("Адрес"),
    "lat": _l("Широта"),
    "lon": _l("Долгота"),
    "children_count": _l("Детей"),
    "season_start": _l("Начало сезона"),
    "season_end": _l("Конец сезона"),
    "opening_hours": _l("Часы работы"),
    "risk": _l("Риск"),
    "risk_reason": _l("Причина категории риска"),
    "status": _l("Статус"),
    "contact_name": _l("Контактное лицо"),
    "contact_phone": _l("Телефон"),
    "contact_email": _l("Эл. почта"),
    "last_inspection_date": _l("Последняя проверка"),
    "archived": _l("В архиве"),
    "merged_bin": _l("Присоединён БИН"),
    "merged_into": _l("Присоединён к"),
    "moved": _l("Перенесено записей"),
    "full_name": _l("ФИО"),
    "username": _l("Пользователь"),
    "region_katos": _l("Регионы"),
    "skills": _l("Навыки"),
    "home_address": _l("Домашний адрес"),
    "home_lat": _l("Широта базы"),
    "home_lon": _l("Долгота базы"),
    "max_visits_per_day": _l("Проверок в день, не более"),
    "max_minutes_per_day": _l("Минут в день, не более"),
    "day_start": _l("Начало дня"),
    "day_end": _l("Конец дня"),
    "absences": _l("Отсутствия"),
    "conflict_bins": _l("Конфликт интересов (БИН)"),
    "region": _l("Регион"),
    "date_from": _l("С даты"),
    "date_to": _l("По дату"),
    "lang": _l("Язык"),
    "date": _l("Дата"),
    "dates": _l("Даты"),
    "inspector_id": _l("Инспектор"),
    "visit_id": _l("Посещение"),
    "other_visit_id": _l("Второе посещение"),
    "transfers": _l("Переносы выходных дней"),
    "breaks": _l("Каникулы"),
    "closures": _l("Закрытия объекта"),
    "start_date": _l("Первый день"),
    "end_date": _l("Последний день"),
    "reason": _l("Причина"),
    "day_off": _l("Выходной день"),
    "working_day": _l("Рабочий день"),
    "note": _l("Примечание"),
    "outcome": _l("Решение"),
    "comment": _l("Комментарий"),
    "item_codes": _l("Пункты к исправлению"),
    "year": _l("Год"),
}

ACTIONS = {
    "create": _l("создание"),
    "update": _l("изменение"),
    "archive": _l("архивирование"),
    "import": _l("импорт"),
    "merge": _l("объединение"),
    "closure_add": _l("закрытие объекта"),
    "closure_remove": _l("отмена закрытия объекта"),
}


# Headings of the printed audit report (exports/pdf takes them translated, see `report_labels`).
REPORT_LABELS = {
    "title": _l("АКТ О РЕЗУЛЬТАТАХ ПРОВЕРКИ"),
    "name_kk": _l("Наименование на казахском языке"),
    "name_ru": _l("Наименование на русском языке"),
    "bin": _l("БИН"),
    "address": _l("Адрес"),
    "facility_type": _l("Тип организации"),
    "agency": _l("Ведомство"),
    "inspector": _l("Инспектор"),
    "date": _l("Дата проверки"),
    "times": _l("Прибытие / убытие"),
    "tz": _l("время Алматы"),
    "gps": _l("GPS-координаты"),
    "legal_basis": _l("Правовое основание"),
    "representatives": _l("Присутствовали от организации"),
    "template": _l("Проверочный лист"),
    "overall_score": _l("Общий балл"),
    "result": _l("Итог"),
    "critical_failures": _l("Критические нарушения"),
    "section": _l("Раздел"),
    "score": _l("Балл"),
    "items": _l("Результаты проверки"),
    "no": _l("№"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Норма"),
    "answer": _l("Ответ"),
    "comment": _l("Комментарий"),
    "status": _l("Оценка"),
    "severity": _l("Категория"),
    "violations": _l("Выявленные нарушения и меры по устранению"),
    "violation": _l("Нарушение"),
    "corrective_action": _l("Что необходимо сделать"),
    "responsible": _l("Ответственный"),
    "deadline": _l("Срок"),
    "no_violations": _l("Нарушений не выявлено."),
    "photos": _l("Фотофиксация"),
    "signatures": _l("Подписи"),
    "inspector_sig": _l("Инспектор"),
    "representative_sig": _l("Представитель организации"),
    "sig_hint": _l("подпись / Ф.И.О."),
    "record_hash": _l("Хеш записи (SHA-256)"),
    "verify": _l("Подлинность акта можно проверить по QR-коду или по ссылке:"),
    "page": _l("Страница {page} из {total}"),
    "anonymous": _l("анонимно"),
    "reg_no": _l("рег. № прокуратуры"),
}
# The inspecting body named on the act: the region's inspectorate (services/audits/act.py copies it in).
INSPECTORATE = _l("Инспекция по защите прав детей: %(region)s")
# Headings of the act's own elements (Entrepreneurial Code art. 152), printed beside REPORT_LABELS.
ACT_LABELS = {
    "act_subtitle": _l("(внезапная проверка, без предварительного уведомления)"),
    "drawn_up": _l("Дата, время и место составления акта"),
    "inspecting_body": _l("Проверяющий орган"),
    "order": _l("Акт о назначении проверки"),
    "order_reg": _l("рег. № в КПСиСУ"),
    "order_none": _l("не требуется для этого основания"),
    "inspectors": _l("Проверяющие (Ф.И.О., должность)"),
    "facility_head": _l("Руководитель или представитель организации"),
    "period": _l("Дата, место и период проверки"),
    "checklist": _l("Проверочный лист"),
    "violated_items": _l("Нарушенные пункты проверочного листа"),
    "attachments": _l("Приложения к акту"),
    "attachment_checklist": _l("Проверочный лист с ответами"),
    "attachment_photo": _l("Фото № %(n)s"),
    "explanation": _l("Объяснение представителя организации"),
    "acknowledged": _l("С актом ознакомлен(а), экземпляр получил(а)"),
    "refused": _l("От подписи и получения акта отказался(ась)"),
    "witness": _l("Свидетель отказа"),
    "no_signature": _l("подпись не получена"),
}
# The prescription's PDF (exports/prescription.py): headings, in the report languages.
PRESCRIPTION_LABELS = {
    "title": _l("ПРЕДПИСАНИЕ ОБ УСТРАНЕНИИ ВЫЯВЛЕННЫХ НАРУШЕНИЙ"),
    "number": _l("№"),
    "delivered": _l("Дата вручения"),
    "act": _l("К акту о результатах проверки от"),
    "facility": _l("Объект"),
    "bin": _l("БИН"),
    "address": _l("Адрес"),
    "inspector": _l("Инспектор"),
    "representatives": _l("Присутствовали от организации"),
    "items": _l("Пункты предписания"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Нормативная ссылка"),
    "action": _l("Что необходимо сделать"),
    "deadline": _l("Срок устранения"),
    "state": _l("Состояние"),
    "severity": _l("Категория"),
    "verify": _l("Подлинность акта можно проверить по QR-коду или по ссылке:"),
    "page": _l("Страница {page} из {total}"),
    "signatures": _l("Подписи"),
    "inspector_sig": _l("Инспектор"),
    "representative_sig": _l("Представитель организации"),
    "sig_hint": _l("подпись / Ф.И.О."),
}
# The columns of the prescriptions' CSV/XLSX export (services/prescriptions/queries.py EXPORT_COLUMNS).
PRESCRIPTION_COLUMNS = {
    "number": _l("№ предписания"),
    "delivered_on": _l("Дата вручения"),
    "region": _l("Регион (КАТО)"),
    "facility_bin": _l("БИН"),
    "facility": _l("Объект"),
    "facility_type": _l("Тип организации"),
    "position": _l("№ пункта"),
    "item_code": _l("Код пункта"),
    "section": _l("Раздел"),
    "severity": _l("Категория"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Нормативная ссылка"),
    "action": _l("Что необходимо сделать"),
    "state": _l("Состояние"),
    "due_date": _l("Срок устранения"),
    "escalation": _l("Повторно не устранено (раз)"),
    "changed_at": _l("Последнее изменение"),
}
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
# Headings of the printed route sheet (exports/route_sheet takes them translated, see `route_sheet_labels`).
ROUTE_SHEET_LABELS = {
    "title": _l("Маршрутный лист"),
    "inspector": _l("Инспектор"),
    "date": _l("Дата"),
    "no": _l("№"),
    "time": _l("Время"),
    "facility": _l("Объект"),
    "km": _l("км"),
    "mark": _l("Отметка"),
    "total": _l("Всего в пути, км (по дорогам, оценка)"),
    "secret": _l("Конфиденциально: не передавать объектам проверки."),
    "none": _l("На этот день посещений нет."),
}
# The vocabularies a report prints by code (exports/pdf looks codes up in the same mapping as headings).
REPORT_KINDS = ("type", "severity", "result", "item_status", "responsible")


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


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


def labels_of(kind: str) -> dict[str, str]:
    """Every code of a vocabulary with its label in the UI language ({} for an unknown vocabulary)."""
    return {code: str(text) for code, text in LABELS.get(kind, {}).items()}


def closure_reason(code: str) -> str:
    """A facility closure's reason in the UI language."""
    return str(CLOSURE_REASONS.get(code, code))


def unscheduled_reason(reason: str, facility_name=lambda fid: fid, region_name=lambda kato: kato) -> str:
    """Why the engine left a facility unscheduled, in the UI language, its skills named by their labels."""
    return sentences.unscheduled_reason(reason, facility_name, region_name, lambda skill: label(skill, "skill"))


# The statistics tables' columns as a person reads them in an XLSX (the API and the CLI keep the keys).
STAT_COLUMN_LABELS = {
    "level": _l("Уровень"), "kato": _l("Код КАТО"), "facilities": _l("Объектов"), "inspections": _l("Проверок"),
    "inspections_reviewed": _l("Проверок рассмотрено руководителем"),
    "due_facilities": _l("Подлежали проверке"), "inspected_in_time": _l("Проверены в срок"),
    "overdue_facilities": _l("Просрочены"), "never_inspected": _l("Ни разу не проверены"),
    "in_time_share": _l("Доля проверенных в срок"), "violations_total": _l("Нарушений всего"),
    "violations_open": _l("Нарушений не устранено"), "violations_resolved": _l("Нарушений устранено"),
    "violations_overdue": _l("Нарушений просрочено"), "section": _l("Раздел"), "severity": _l("Степень"),
    "total": _l("Всего"), "open": _l("Не устранено"), "resolved": _l("Устранено"), "overdue": _l("Просрочено"),
    "rank": _l("Место"), "item_code": _l("Код пункта"), "text_ru": _l("Текст пункта (рус.)"),
    "text_kk": _l("Текст пункта (каз.)"), "text_en": _l("Текст пункта (англ.)"), "failures": _l("Нарушений"),
    "share_of_inspections": _l("Доля проверок"),
    "month": _l("Месяц"), "inspections_year_before": _l("Проверок годом ранее"),
    "index": _l("Индекс безопасности"), "compliance_safety": _l("Соблюдение: безопасность"),
    "compliance_nutrition": _l("Соблюдение: питание"), "compliance_health": _l("Соблюдение: здоровье"),
    "name": _l("Наименование"), "visits_planned": _l("Визитов запланировано"), "visits_done": _l("Проведено"),
    "visits_not_done": _l("Не состоялось"), "visits_open": _l("Ещё не проведено"),
    "audits_submitted": _l("Актов отправлено"), "audits_returned": _l("Возвращено на доработку"),
    "median_days_to_submit": _l("Медиана дней от визита до отправки акта"),
    "items": _l("Пунктов"), "items_open": _l("Не устранено"), "items_overdue": _l("Просрочено"),
    "items_verified": _l("Подтверждено устранение"), "items_not_fixed": _l("Не устранено при повторной проверке"),
    "median_days_to_fix": _l("Медиана дней до устранения"),
}
# Columns counted per code: "risk_high" is headed "Риск: Высокий".
_STAT_COLUMN_PREFIXES = {"risk": (_l("Риск"), "risk"), "type": (_l("Тип"), "type"),
                         "basis": (_l("Основание"), "basis"), "result": (_l("Результат"), "result")}


def stat_column_label(key: str) -> str:
    """The UI-language header of a statistics table column (the key itself when unknown)."""
    if key in STAT_COLUMN_LABELS:
        return str(STAT_COLUMN_LABELS[key])
    if key.startswith("not_done_"):
        return f"{STAT_COLUMN_LABELS['visits_not_done']}: {label(key.removeprefix('not_done_'), 'not_done_reason')}"
    prefix, _sep, code = key.partition("_")
    if prefix in _STAT_COLUMN_PREFIXES and code:
        word, kind = _STAT_COLUMN_PREFIXES[prefix]
        return f"{word}: {label(code, kind)}"
    return field_label(key)


def field_label(name: str) -> str:
    """The UI-language label of a record field (the name itself when unknown)."""
    return str(FIELD_LABELS.get(name, name))


def change_value(value, field: str = "") -> str:
    """A history value as a person reads it: vocabulary labels, empty as a dash, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field in ("type", "agency", "risk", "status") and isinstance(value, str):
        return label(value, field)
    if isinstance(value, list):
        return ", ".join(change_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {change_value(v)}" for k, v in value.items())
    return str(value)


def route_sheet_labels() -> dict[str, str]:
    """The route sheet's headings in the current language, for `exports.route_sheet` (which has no Babel)."""
    return {key: str(text) for key, text in ROUTE_SHEET_LABELS.items()}


def prescription_labels() -> dict[str, str]:
    """The prescription PDF's headings, item states and severities in the current locale."""
    words = {key: str(text) for key, text in PRESCRIPTION_LABELS.items()}
    words.update({f"state.{code}": str(text) for code, text in LABELS["item_state"].items()})
    words.update({f"severity.{code}": str(text) for code, text in LABELS["severity"].items()})
    return words


def report_labels() -> dict[str, str]:
    """Every report heading and printed code in the current language, for `exports.pdf` (which has no Babel)."""
    out = {key: str(text) for kind in REPORT_KINDS for key, text in LABELS[kind].items()}
    out.update((key, str(text)) for key, text in REPORT_LABELS.items())
    out.update((key, str(text)) for key, text in ACT_LABELS.items())
    return out


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
        return gettext("%(low)s–%(high)s мин", low=f"{low:g}", high=f"{high:g}") if low != high else \
            gettext("%(n)s мин", n=f"{low:g}")
    if axis == "distance":
        return gettext("%(low)s–%(high)s км", low=f"{low:g}", high=f"{high:g}")
    hours = f"{low / 60:.1f}–{high / 60:.1f}" if low != high else f"{low / 60:.1f}"
    if key == "narrow":
        return gettext("узкие: начать проверку можно в течение %(hours)s ч", hours=hours)
    return gettext("широкие: начать проверку можно в течение %(hours)s ч", hours=hours)


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


# The dashboard's PDF summary: its headings (the tables' columns come from STAT_COLUMN_LABELS).
STATS_SUMMARY_LABELS = {
    "title": _l("Показатели соблюдения требований"), "country": _l("Казахстан, все регионы"),
    "period": _l("Период"), "facilities": _l("Объектов"), "inspections": _l("Проверок"),
    "reviewed": _l("рассмотрено руководителем: %(n)s из %(total)s"), "in_time": _l("Доля проверенных в срок"),
    "overdue": _l("Просрочены"), "violations_open": _l("Нарушений не устранено"),
    "violations_overdue": _l("Нарушений просрочено"), "items_open": _l("Пунктов предписаний не устранено"),
    "monthly": _l("Проверки по месяцам"), "sections": _l("Нарушения по разделам"),
    "areas_region": _l("По регионам"), "areas_district": _l("По районам"), "prescriptions": _l("Предписания"),
    "inspectors": _l("Работа инспекторов"), "no_district": _l("Без района"), "no_inspector": _l("Без инспектора"),
    "total": _l("Итого"), "overdue_open": _l("Просрочено"), "open_in_time": _l("Не устранено, срок не истёк"),
    "resolved": _l("Устранено"), "generated": _l("Сформировано"), "section": _l("Раздел"),
}


def stats_summary_labels() -> dict[str, str]:
    """The PDF summary's headings and the audit results in the current locale."""
    words = {key: str(text) for key, text in STATS_SUMMARY_LABELS.items() if key != "reviewed"}
    words.update({f"result.{code}": str(text) for code, text in LABELS["result"].items()})
    return words


def reviewed_of(n: int, total: int) -> str:
    """"reviewed by a supervisor: N of M" in the current locale."""
    return str(gettext("рассмотрено руководителем: %(n)s из %(total)s", n=n, total=total))
