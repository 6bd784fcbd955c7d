"""Validation messages in the UI language: marshmallow's defaults and the schemas' own, matched by template.

The schemas speak marshmallow's English; whatever reaches a person (an API answer, a form, an import report)
passes through `ui_message` / `ui_messages`, which map every marshmallow default message (fields, validators,
schema-level) and the common schema messages to a translated sentence with the same figures.
"""

import re
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from inspect_app.labels import LABELS

_RANGE_OPS = {
    "greater than or equal to": _l("не меньше"),
    "greater than": _l("больше"),
    "less than or equal to": _l("не больше"),
    "less than": _l("меньше"),
}

# marshmallow's default message templates (marshmallow 4: fields, validators, Schema) -> the UI's msgid.
# tests/inspect_app/test_messages.py checks that every default template of the installed marshmallow is here.
MARSHMALLOW_MESSAGES = {
    "Missing data for required field.": _l("Обязательное поле."),
    "Field may not be null.": _l("Поле не может быть пустым."),
    "Invalid value.": _l("Недопустимое значение."),
    "Invalid input.": _l("Недопустимое значение."),
    "Invalid type.": _l("Неверный тип данных."),
    "Invalid input type.": _l("Неверный тип данных."),
    "Unknown field.": _l("Неизвестное поле."),
    "Not a file.": _l("Это не файл: пришлите его как файловую часть multipart-запроса."),
    "Not a valid boolean.": _l("Нужно значение «да» или «нет»."),
    "Not a valid string.": _l("Нужна строка текста."),
    "Not a valid utf-8 string.": _l("Текст не в кодировке UTF-8."),
    "Not a valid number.": _l("Введите число."),
    "Not a valid integer.": _l("Введите целое число."),
    "Number too large.": _l("Слишком большое число."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Введите конечное число."),
    "Not a valid date.": _l("Введите дату в виде ГГГГ-ММ-ДД."),
    '"{input}" cannot be formatted as a date.': _l("Введите дату в виде ГГГГ-ММ-ДД."),
    "Not a valid {obj_type}.": _l("Введите дату и время (ISO 8601)."),
    "Not a valid {awareness} {obj_type}.": _l("Укажите дату и время с часовым поясом (ISO 8601)."),
    '"{input}" cannot be formatted as a {obj_type}.': _l("Введите дату и время (ISO 8601)."),
    "Not a valid period of time.": _l("Неверный промежуток времени."),
    "{input!r} cannot be formatted as a timedelta.": _l("Неверный промежуток времени."),
    "Not a valid mapping type.": _l("Нужен объект (словарь)."),
    "Not a valid list.": _l("Нужен список."),
    "Not a valid tuple.": _l("Нужен список."),
    "Not a valid UUID.": _l("Неверный идентификатор (UUID)."),
    "Not a valid email address.": _l("Неверный адрес эл. почты."),
    "Not a valid URL.": _l("Неверная ссылка (URL)."),
    "Not a valid IP address.": _l("Неверный IP-адрес."),
    "Not a valid IP interface.": _l("Неверный IP-адрес."),
    "Not a valid IPv4 address.": _l("Неверный IP-адрес."),
    "Not a valid IPv4 interface.": _l("Неверный IP-адрес."),
    "Not a valid IPv6 address.": _l("Неверный IP-адрес."),
    "Not a valid IPv6 interface.": _l("Неверный IP-адрес."),
    "Must be one of: {choices}.": _l("Выберите значение из списка: %(choices)s."),
    "One or more of the choices you made was in: {values}.": _l("Недопустимые значения: %(values)s."),
    "One or more of the choices you made was not in: {choices}.": _l("Допустимые значения: %(choices)s."),
    "Must be equal to {other}.": _l("Должно быть равно %(other)s."),
    "Shorter than minimum length {min}.": _l("Слишком коротко: не меньше %(min)s символов."),
    "Longer than maximum length {max}.": _l("Слишком длинно: не больше %(max)s символов."),
    "Length must be between {min} and {max}.": _l("Длина должна быть от %(min)s до %(max)s."),
    "Length must be {equal}.": _l("Длина должна быть ровно %(equal)s."),
    "Must be {min_op} {{min}}.": _l("Должно быть %(min_op)s %(min)s."),
    "Must be {max_op} {{max}}.": _l("Должно быть %(max_op)s %(max)s."),
    "Must be {min_op} {{min}} and {max_op} {{max}}.": _l("Должно быть %(min_op)s %(min)s и %(max_op)s %(max)s."),
    "String does not match expected pattern.": _l("Неверный формат."),
}

# The schemas' own messages (inspect_app/schemas), by the same kind of template.
SCHEMA_TEMPLATES = {
    "The BIN {digits} lost its leading zero: the spreadsheet took it for a number. It is {bin}; format the column "
    "as text before typing or opening the CSV, or import the XLSX export, which keeps it.":
        _l("БИН %(digits)s потерял ведущий ноль: электронная таблица приняла его за число. Верный БИН — %(bin)s; "
           "задайте столбцу текстовый формат до ввода или открытия CSV либо импортируйте XLSX-выгрузку, в которой "
           "нули сохраняются."),
    "Not a valid e-mail address.": _l("Неверный адрес эл. почты."),
    "Expected a 9-digit KATO code.": _l("Нужен 9-значный код КАТО."),
    "The text contains a control or invalid character (U+{code}).":
        _l("Текст содержит управляющий или недопустимый символ (U+%(code)s)."),
    "The point {lat}, {lon} lies outside Kazakhstan (in Kyrgyzstan, near Bishkek).":
        _l("Точка %(lat)s, %(lon)s лежит вне Казахстана (в Кыргызстане, около Бишкека)."),
    "The request body is empty: send at least one field to change.":
        _l("Пустой запрос: передайте хотя бы одно поле, которое нужно изменить."),
    "Not a telephone number; write it as +7 701 123 45 67.":
        _l("Это не номер телефона; запишите его как +7 701 123 45 67."),
    "Not a valid Kazakhstan telephone number (+7 7.. or +7 6..).":
        _l("Неверный казахстанский номер телефона (+7 7.. или +7 6..)."),
    "Opening hours are not valid JSON: {msg}.": _l("Часы работы записаны неверно (JSON)."),
    "Opening hours are nested too deeply to be a timetable.": _l("Часы работы записаны неверно (JSON)."),
    "Opening hours must be an object keyed by weekday (mon..sun).":
        _l("Часы работы задаются по дням недели (mon..sun)."),
    "Unknown weekday {day}; use one of {days}.": _l("Неизвестный день недели %(day)s; допустимы: %(days)s."),
    "{day}: expected a list of [from, to] intervals.": _l("%(day)s: нужен список интервалов [с, до]."),
    '{day}: each interval is ["HH:MM", "HH:MM"].': _l("%(day)s: каждый интервал записывается как [ЧЧ:ММ, ЧЧ:ММ]."),
    "{day}: {part} is not a time as HH:MM.": _l("%(day)s: %(part)s — не время в виде ЧЧ:ММ."),
    "{day}: the interval {start}-{end} ends before it starts.":
        _l("%(day)s: интервал %(start)s-%(end)s заканчивается раньше, чем начинается."),
    "{chunk}: expected 'mon-fri 08:00-18:00'.": _l("%(chunk)s: нужна запись вида «mon-fri 08:00-18:00»."),
    "{chunk}: expected times as HH:MM-HH:MM.": _l("%(chunk)s: время записывается как ЧЧ:ММ-ЧЧ:ММ."),
    "{part} is not a weekday or range such as mon-fri.": _l("%(part)s — не день недели и не диапазон вида mon-fri."),
    "{part}: the range runs backwards.": _l("%(part)s: диапазон идёт в обратном порядке."),
    "Expected a list of strings.": _l("Нужен список строк."),
    "Unknown value(s) {unknown}; allowed: {allowed}.": _l("Неизвестные значения: %(unknown)s; допустимы: %(allowed)s."),
    "Give both ends of the season (MM-DD).": _l("Укажите начало и конец сезона (ММ-ДД)."),
    "A summer camp needs its season (MM-DD).": _l("Для летнего лагеря укажите сезон (ММ-ДД)."),
    "The period starts after it ends.": _l("Период начинается позже, чем заканчивается."),
    "The period ends before it starts.": _l("Период начинается позже, чем заканчивается."),
    "The period may not be longer than ten years.": _l("Период не может быть длиннее десяти лет."),
    "Name the schedule this one replaces.": _l("Укажите график, который заменяет этот."),
    "A swap needs the other visit.": _l("Для обмена укажите второе посещение."),
    "A move needs a new date or inspector.": _l("Для переноса укажите новую дату или инспектора."),
    "The absence ends before it starts.": _l("Отсутствие заканчивается раньше, чем начинается."),
    "The working day must end after it starts.": _l("Рабочий день должен заканчиваться позже, чем начинается."),
    "An unplanned inspection needs its reason.": _l("Для внеплановой проверки укажите основание."),
    "Only an unplanned inspection has a signal.": _l("Источник сигнала указывается только для внеплановой проверки."),
    "Give the day off, the working day or both.": _l("Укажите выходной день, рабочий день или оба."),
    "The day off must be a weekday (Monday to Friday).": _l("Выходной должен приходиться на будний день (пн–пт)."),
    "The working day must be a Saturday or a Sunday.":
        _l("Рабочим днём переноса может быть только суббота или воскресенье."),
    "The break ends before it starts.": _l("Каникулы заканчиваются раньше, чем начинаются."),
    "The closure ends before it starts.": _l("Закрытие заканчивается раньше, чем начинается."),
    "Expected a year from 1990 to 2098.": _l("Ожидается год с 1990 по 2098."),
    "Expected a number of inspectors from 0 to 500.": _l("Ожидается число инспекторов от 0 до 500."),
    "Give a value for this what-if.": _l("Укажите значение для этого расчёта."),
}

# The services' own messages (inspect_app/services), which reach the API and the pages.
SERVICE_TEMPLATES = {
    "A sheet holds far more cells than its table needs (empty formatted cells count too); delete the empty "
    "rows and columns around the table, or save it as CSV.":
        _l("На листе гораздо больше ячеек, чем нужно таблице (пустые оформленные ячейки тоже считаются); удалите "
           "пустые строки и столбцы вокруг таблицы или сохраните её как CSV."),
    "Another save changed the calendar at the same moment; reload and save again.":
        _l("Календарь в тот же момент изменили при другом сохранении; обновите страницу и сохраните снова."),
    "No town of this name in the region.": _l("Нет населённого пункта с таким названием в регионе."),
    "Expected a year from 2000 to 2098.": _l("Ожидается год с 2000 по 2098."),
    "The transfer must have a date in its year.": _l("Хотя бы одна дата переноса должна приходиться на этот год."),
    "The date is listed twice.": _l("Дата указана дважды."),
    "Another year's transfer already uses this date.": _l("Эта дата уже есть в переносах другого года."),
    "Check the transfers.": _l("Проверьте переносы."),
    "Check the breaks.": _l("Проверьте каникулы."),
    "The break must lie in its school year (1 August to 31 August of the next year).":
        _l("Каникулы должны лежать в своём учебном году (с 1 августа по 31 августа следующего года)."),
    "The break overlaps another break.": _l("Каникулы пересекаются с другими каникулами."),
    "Only an administrator changes the calendar.": _l("Календарь меняет только администратор."),
    "You may not change this facility.": _l("Вы не можете менять этот объект."),
    "Closure not found.": _l("Закрытие не найдено."),
    "A facility cannot be merged into itself.": _l("Объект нельзя объединить с самим собой."),
    "That facility was already merged.": _l("Этот объект уже объединён с другим."),
    "The facility to keep is archived; restore it or keep the other record.":
        _l("Сохраняемый объект в архиве: восстановите его или сохраните другую запись."),
    "Duplicate candidate not found.": _l("Пара не найдена."),
    "No facility with BIN {bins}.": _l("Нет объекта с БИН %(bins)s."),
    "A correction of a submitted record cannot be discarded.": _l("Исправление отправленного акта нельзя удалить."),
    "An audit is open for this visit: discard it first or submit it.":
        _l("По этому посещению уже открыта проверка: удалите её черновик или отправьте."),
    "Another publication of this region came first; reload the schedule.":
        _l("Другой график этого региона опубликован раньше; обновите страницу графика."),
    "Another user already opened the audit of this visit.":
        _l("Проверку по этому посещению уже начал другой пользователь."),
    "Audit not found.": _l("Проверка не найдена."),
    "Choose morning or evening.": _l("Выберите утро или вечер."),
    "Choose why the visit could not happen.": _l("Укажите, почему посещение не состоялось."),
    "Facility not found in this schedule's region.": _l("В регионе этого графика такого объекта нет."),
    "Facility not found.": _l("Объект не найден."),
    "Inspector not found.": _l("Инспектор не найден."),
    "Inspectors start inspections from the stops of their route.":
        _l("Инспекторы начинают проверки с остановок своего маршрута."),
    "Job not found.": _l("Задание не найдено."),
    "Name the inspector whose route you want to see.": _l("Укажите инспектора, чей маршрут нужно показать."),
    "No checklist template is loaded; run `flask checklists load`.":
        _l("Не загружен ни один чек-лист; обратитесь к администратору."),
    "No inspector account with this username in your region.":
        _l("В вашем регионе нет учётной записи инспектора с таким именем пользователя."),
    "No planned visit of this facility has this id.":
        _l("У этого объекта нет запланированного посещения с таким номером."),
    "No region to build.": _l("Не выбран регион для графика."),
    "No schedule was published with this commitment.": _l("График с таким отпечатком не публиковался."),
    "No such calendar.": _l("Такого календаря нет."),
    "Nothing changes: no route of the schedule is affected.":
        _l("Ничего не меняется: ни один маршрут графика не затронут."),
    "Only a draft schedule can be edited.": _l("Править можно только черновик графика."),
    "Only a published schedule of the same region can be replaced.":
        _l("Заменить можно только опубликованный график того же региона."),
    "Only a submitted audit can be corrected; edit the draft instead.":
        _l("Исправить можно только отправленную проверку; черновик правьте напрямую."),
    "Only a submitted audit has a report; submit the checklist first.":
        _l("Акт есть только у отправленной проверки; сначала отправьте чек-лист."),
    "Only an open draft can be discarded; this audit was submitted or discarded.":
        _l("Удалить можно только открытый черновик; эта проверка уже отправлена или удалена."),
    "Only a supervisor of the region marks a violation corrected.":
        _l("Отметить нарушение устранённым может только руководитель региона."),
    "The job queue cannot be reached: nothing was started; try again in a few minutes.":
        _l("Очередь заданий недоступна: ничего не запущено, повторите через несколько минут."),
    "Only inspectors have a route calendar.": _l("Календарь маршрутов есть только у инспекторов."),
    "Only supervisors read the access log of their region.":
        _l("Журнал просмотров своего региона читают только руководители."),
    "Only the author of a draft may change it.": _l("Черновик может менять только его автор."),
    "Only the author of a draft may discard it.": _l("Удалить черновик может только его автор."),
    "Only the region's supervisors choose when routes are released.":
        _l("Когда открывать маршруты, решают только руководители региона."),
    "Photo not found.": _l("Фотография не найдена."),
    "Region not found.": _l("Регион не найден."),
    "Say why the draft is discarded.": _l("Укажите, почему черновик удаляется."),
    "Schedule not found.": _l("График не найден."),
    "Some answers are not valid.": _l("Некоторые ответы заполнены неверно."),
    "Someone else changed this facility meanwhile; reload it and apply your edit again.":
        _l("Пока вы редактировали, объект изменил кто-то другой; обновите страницу и внесите правку снова."),
    "Someone else changed this schedule meanwhile; reload it and edit again.":
        _l("Пока вы работали, график изменил кто-то другой; обновите страницу и повторите правку."),
    "Start an inspection from a stop of your route.": _l("Начните проверку с остановки своего маршрута."),
    "Supervisors and inspectors belong to a region.": _l("Руководителю и инспектору нужен регион."),
    "That option is no longer available; look at the options again.":
        _l("Этот вариант больше недоступен; посмотрите варианты ещё раз."),
    "The audit is already submitted; a second submission is refused.":
        _l("Проверка уже отправлена; повторная отправка отклонена."),
    "The audit is submitted and frozen; file a correction instead.":
        _l("Проверка отправлена и закрыта для правок; оформите исправление."),
    "The batch file is gone; start the batch again.": _l("Файл с актами больше недоступен; запустите выгрузку снова."),
    "The checklist cannot be submitted yet.": _l("Чек-лист пока нельзя отправить."),
    "The date is outside the schedule's horizon.": _l("Дата вне периода графика."),
    "The district lies in another region.": _l("Район относится к другому региону."),
    "The facility is archived.": _l("Объект в архиве."),
    "The facility is not the one of this visit.": _l("Это не объект этого посещения."),
    "The file has no data rows.": _l("В файле нет строк с данными."),
    "The file is empty.": _l("Файл пуст."),
    "The file is not a readable image.": _l("Файл не является читаемым изображением."),
    "The fill must be between 0 and 1.": _l("Доля заполнения должна быть от 0 до 1."),
    "The options changed meanwhile; look at them again.":
        _l("Варианты тем временем изменились; посмотрите их ещё раз."),
    "The replacement date must lie in both schedules' periods and not in the past.":
        _l("Дата замены должна входить в периоды обоих графиков и не быть в прошлом."),
    "The revision would change a day that is already past.": _l("Новая редакция изменила бы уже прошедший день."),
    "The schedule starts in the past; build a new one from today or later.":
        _l("График начинается в прошлом; постройте новый с сегодняшнего дня или позже."),
    "The user who started the batch no longer exists.": _l("Пользователя, запустившего выгрузку, больше нет."),
    "This client_uuid was already used for another audit.":
        _l("Этот идентификатор уже использован для другой проверки."),
    "This client_uuid was already used for another photo.":
        _l("Этот идентификатор уже использован для другой фотографии."),
    "This client_uuid was already used to submit another audit.":
        _l("Этот идентификатор уже использован при отправке другой проверки."),
    "This day's route is not released to you yet (or is over).":
        _l("Маршрут этого дня вам ещё не открыт (или уже закончился)."),
    "This inspector is not part of the schedule.": _l("Этот инспектор не входит в график."),
    "This password is too common or too easy to guess; choose a longer, unusual one.":
        _l("Этот пароль слишком распространён или легко угадывается; выберите более длинный и необычный."),
    "This user is already linked to another inspector.": _l("Этот пользователь уже привязан к другому инспектору."),
    "This username is taken.": _l("Это имя пользователя занято."),
    "This visit was recorded as not done.": _l("Это посещение отмечено как несостоявшееся."),
    "Unknown district KATO code.": _l("Неизвестный код КАТО района."),
    "Unknown edit action.": _l("Неизвестное действие правки."),
    "Unknown region KATO code.": _l("Неизвестный код КАТО региона."),
    "Unsupported language; use ru, kk or en.": _l("Язык не поддерживается; используйте ru, kk или en."),
    "Violation not found.": _l("Нарушение не найдено."),
    "Visit not found.": _l("Посещение не найдено."),
    "You may only assign inspectors to your own region.": _l("Назначать инспекторов можно только в свой регион."),
    "You may only see the statistics of your own region.": _l("Можно смотреть статистику только своего региона."),
    "Your account has no region.": _l("У вашей учётной записи не указан регион."),
    "Your role does not give access to the registry.": _l("Ваша роль не даёт доступа к реестру."),
    "Your role has no routes.": _l("У вашей роли нет маршрутов."),
    "Your role may not build schedules.": _l("Ваша роль не позволяет строить графики."),
    "Your role may read audits but not change them.": _l("Ваша роль позволяет читать проверки, но не менять их."),
    "Your role may read schedules but not change them.": _l("Ваша роль позволяет читать графики, но не менять их."),
    "Your role may read the registry but not change it.": _l("Ваша роль позволяет читать реестр, но не менять его."),
    # accounts (services/accounts, services/users, schemas/user)
    "This is the last active admin; make another admin first.":
        _l("Это последний активный администратор; сначала назначьте другого."),
    "User not found.": _l("Пользователь не найден."),
    "Token not found.": _l("Токен не найден."),
    "Your role may not manage user accounts.": _l("Ваша роль не позволяет управлять учётными записями."),
    "Nobody changes their own role.": _l("Свою роль изменить нельзя."),
    "Your role may not give this role.": _l("Ваша роль не позволяет назначить эту роль."),
    "Only admins read the administration history.": _l("Историю администрирования читают только администраторы."),
    "No inspector of this region has this id.": _l("В этом регионе нет такого инспектора."),
    "This inspector already has an account.": _l("У этого инспектора уже есть учётная запись."),
    "Only an inspector's account is linked to an inspector record.":
        _l("С записью инспектора связывается только учётная запись инспектора."),
    "You cannot deactivate your own account.": _l("Свою учётную запись отключить нельзя."),
    "Change your own password on your account page.": _l("Свой пароль меняйте на странице своей учётной записи."),
    "Reactivate the account first.": _l("Сначала включите учётную запись."),
    "The current password is wrong.": _l("Текущий пароль указан неверно."),
    "Choose a password other than the current one.": _l("Новый пароль должен отличаться от текущего."),
    "The two passwords differ.": _l("Пароли не совпадают."),
    "Only admins change settings.": _l("Настройки меняют только администраторы."),
    "Unknown setting.": _l("Неизвестная настройка."),
    "This setting is the same in every region.": _l("Эта настройка одинакова во всех регионах."),
    "Enter a number.": _l("Введите число."),
    "Enter a whole number.": _l("Введите целое число."),
    "Checklist version not found.": _l("Версия чек-листа не найдена."),
    "Your role may not manage checklists.": _l("Ваша роль не позволяет управлять чек-листами."),
    "Only admins change the national checklist; supervisors their region's extension.":
        _l("Национальный чек-лист меняют только администраторы; руководители — дополнение своего региона."),
    "This version is the one in force already.": _l("Эта версия уже действует."),
    "Another version of this checklist was uploaded meanwhile; upload again.":
        _l("Тем временем загружена другая версия этого чек-листа; загрузите ещё раз."),
    "This version is already activated.": _l("Эта версия уже введена в действие."),
    "The date must be today or later.": _l("Дата должна быть не раньше сегодняшней."),
    "Unknown facility type.": _l("Неизвестный тип объекта."),
    "A username is 3-64 Latin letters, digits, dots, hyphens or underscores.":
        _l("Логин: 3–64 латинские буквы, цифры, точки, дефисы или подчёркивания."),
    "Say what was done.": _l("Опишите, что сделано."),
    "A comment is required.": _l("Нужен комментарий."),
    "The item is already closed.": _l("Пункт уже закрыт."),
    "The item is not reported done: there is nothing to decide.":
        _l("Объект не сообщал об устранении этого пункта: решать нечего."),
    "Every item of the prescription is closed: the facility needs no link.":
        _l("Все пункты предписания закрыты: ссылка объекту не нужна."),
    "The link is not valid.": _l("Ссылка недействительна."),
    "Only a supervisor of the region decides on a prescription's items.":
        _l("Решения по пунктам предписания принимает руководитель региона."),
    "The report cannot be accepted.": _l("Сообщение не принято."),
}

# The services' messages with figures; "status" and "date" values are shown as words and local dates.
SERVICE_FIGURE_TEMPLATES = {
    "The draft changed since version {version} (now version {now}): merge your unsent answers into the "
    "current state sent with this answer and save again.":
        _l("Черновик изменился после версии %(version)s (теперь версия %(now)s): добавьте свои неотправленные "
           "ответы к текущему состоянию из этого ответа и сохраните снова."),
    "Schedule {id} is {status}; urgent visits go into the published one.":
        _l("График №%(id)s — %(status)s; срочные проверки вставляются в опубликованный график."),
    "The facility is already planned on {date}, before the deadline.":
        _l("Объект уже запланирован на %(date)s, раньше срока."),
    "Schedule {id} is {status}; only a draft can be published.":
        _l("График №%(id)s — %(status)s; опубликовать можно только черновик."),
    "Schedule {id} with the same routes and seed is already published; build with another seed or keep "
    "that one.":
        _l("График №%(id)s с теми же маршрутами и зерном уже опубликован; постройте график с другим зерном или "
        "оставьте тот."),
    "{name} is already sent out on {date} by a published schedule of another region; rebuild this "
    "schedule so it sees that booking.":
        _l("%(name)s уже направлен(а) на %(date)s по опубликованному графику другого региона; перестройте этот "
        "график, чтобы он учёл эту занятость."),
    "Published schedule {id} ({first}..{last}) covers these dates; build a replacement that names it and "
    "the date it applies from.":
        _l("Опубликованный график №%(id)s (%(first)s – %(last)s) уже охватывает эти даты; постройте замену, "
        "указав его и дату, с которой она действует."),
    "Schedule {id}, which this one replaces, is no longer published.":
        _l("График №%(id)s, который заменяет этот, больше не опубликован."),
    "Schedule {id} is {status}; only a draft can be discarded.":
        _l("График №%(id)s — %(status)s; отклонить можно только черновик."),
    "Schedule {id} is {status}; only the published one can be revised.":
        _l("График №%(id)s — %(status)s; менять можно только опубликованный график."),
    "{date} is not a remaining date of this schedule.": _l("%(date)s — не оставшийся день этого графика."),
    "The seed must be between 0 and {max}.": _l("Зерно должно быть от 0 до %(max)s."),
    "The horizon cannot start in the past (today is {date}).":
        _l("Период графика не может начинаться в прошлом (сегодня %(date)s)."),
    "A build of this region is already running (job {job}); wait for it to finish or cancel it.":
        _l("График этого региона уже строится (задание %(job)s); дождитесь окончания или отмените его."),
    "This build stopped at the wall-clock safety net, so an auditor could not rebuild it; rebuild it "
    "(same seed) on a less busy server before publishing.":
        _l("Построение остановлено по предельному времени, поэтому проверяющий не смог бы его повторить; перед "
        "публикацией перестройте график (с тем же зерном) на менее загруженном сервере."),
    "The facility cannot be visited on any date of this schedule ({why}).":
        _l("Объект нельзя посетить ни в один день этого графика (%(why)s)."),
    "The password needs at least {n} characters.": _l("Пароль должен быть не короче %(n)s символов."),
    "Must be between {a} and {b}.": _l("Значение должно быть от %(a)s до %(b)s."),
    "A token's name has at most {n} characters.": _l("Название токена — не длиннее %(n)s символов."),
    "A token lasts between 1 and {n} days; every token expires.":
        _l("Токен действует от 1 до %(n)s дней; бессрочных токенов нет."),
    "Audit {id} was already corrected by audit {newer}; correct that one.":
        _l("Проверка №%(id)s уже исправлена проверкой №%(newer)s; исправляйте её."),
    "The file lacks the column(s): {cols}.": _l("В файле нет столбцов: %(cols)s."),
    "The file has more than {n} rows; split it.": _l("В файле больше %(n)s строк; разделите его."),
    "A sheet has more than {n} rows (blank rows count too); delete the empty rows below the table, or split it.":
        _l("На листе больше %(n)s строк (пустые строки тоже считаются); удалите пустые строки под таблицей или "
           "разделите её."),
    "Unknown format; use one of {formats}.": _l("Неизвестный формат; допустимы: %(formats)s."),
    "Unknown region KATO code(s): {codes}.": _l("Неизвестные коды КАТО регионов: %(codes)s."),
    "The photo is larger than the limit of {n} MB.": _l("Фотография больше допустимых %(n)s МБ."),
    "There is no item {code} in this checklist.": _l("В этом чек-листе нет пункта %(code)s."),
    "Photos must be JPEG, PNG, WebP or GIF, not {fmt}.":
        _l("Фотография должна быть в формате JPEG, PNG, WebP или GIF, а не %(fmt)s."),
    "At most {n} characters.": _l("Не длиннее %(n)s символов."),
    "At most {n} photos.": _l("Не больше %(n)s фотографий."),
    "The deadline may not be before {date}.": _l("Срок не может быть раньше %(date)s."),
}

# A checklist's answer problems (forms/answers.py, services/audits.answer_errors: "code: message").
ANSWER_TEMPLATES = {
    "unknown_item: there is no item {code} in this checklist": _l("в чек-листе нет пункта %(code)s"),
    "not_applicable: this item does not apply to a {type}": _l("пункт не относится к объектам этого типа"),
    "wrong_type: answer must be an object with a value": _l("ответ записан неверно"),
    "wrong_type: unexpected field(s) {fields}": _l("ответ записан неверно"),
    "wrong_type: comment must be text": _l("комментарий должен быть текстом"),
    "wrong_type: photos must be a list of photo ids": _l("фотографии указаны неверно"),
    "missing_answer: this item must be answered": _l("на этот пункт нужно ответить"),
    "photo_required: a failed item needs at least one photo": _l("к нарушению нужна хотя бы одна фотография"),
    "na_not_allowed: 'not applicable' is not allowed for this item":
        _l("для этого пункта нельзя выбрать «не применимо»"),
    "not_yes_no: answer must be {allowed}, got {value}": _l("ответьте «да» или «нет»"),
    "not_a_number: answer must be a number, got {value}": _l("введите число"),
    "wrong_type: answer must be an option code, got {type}": _l("выберите вариант из списка"),
    "out_of_options: {value} is not one of the options ({codes})": _l("выберите вариант из списка"),
    "wrong_type: answer must be text, got {type}": _l("ответ должен быть текстом"),
    "unknown_photo: photo(s) {ids} were not uploaded to this audit":
        _l("фотографии %(ids)s не загружены в эту проверку"),
}

# The schemas' own messages that many fields share (matched by their start; the rest of the text is dropped).
SCHEMA_MESSAGES = (
    ("Not a valid BIN", _l("Неверный БИН: нужны 12 цифр с верной контрольной цифрой.")),
    ("Latitude", _l("Широта вне территории Казахстана.")),
    ("Longitude", _l("Долгота вне территории Казахстана.")),
    ("A facility with this BIN is already registered.", _l("Объект с этим БИН уже есть в реестре.")),
    ("You may only", _l("Можно работать только с записями своего региона.")),
    ("Expected a day of the year as MM-DD.", _l("Укажите день в виде ММ-ДД.")),
    ("Expected a time as HH:MM.", _l("Укажите время в виде ЧЧ:ММ.")),
)


# What marshmallow puts in the placeholders that are not free text (so "Not a valid {obj_type}." cannot
# swallow "Not a valid email address.").
_PLACEHOLDERS = {"obj_type": r"(?:datetime|date|time)", "awareness": r"(?:naive|aware)"}


def _pattern(template: str) -> re.Pattern:
    """A regex that matches a message made from a marshmallow template, naming its placeholders."""
    template = template.replace("{{", "{").replace("}}", "}")
    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_PLACEHOLDERS.get(p, '.+?')})"
                    for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def _expand_ranges() -> list[tuple[re.Pattern, object]]:
    """Range's templates carry the comparison words in a first formatting pass; match each variant."""
    out = []
    templates = {**MARSHMALLOW_MESSAGES, **SCHEMA_TEMPLATES, **SERVICE_TEMPLATES, **SERVICE_FIGURE_TEMPLATES,
                 **ANSWER_TEMPLATES}
    for template, text in templates.items():
        if "{min_op}" in template or "{max_op}" in template:
            for low in ("greater than or equal to", "greater than"):
                for high in ("less than or equal to", "less than"):
                    concrete = template.replace("{min_op}", low).replace("{max_op}", high)
                    out.append((_pattern(concrete), text, {"min_op": low, "max_op": high}))
        else:
            out.append((_pattern(template), text, {}))
    # Fixed texts first, then the templates with the most fixed text ("greater than or equal to" before
    # "greater than").
    out.sort(key=lambda item: (item[0].groups > 0, -len(re.sub(r"\(\?P<\w+>[^)]*\)", "", item[0].pattern))))
    return out


_PATTERNS = _expand_ranges()


_SCHEDULE_STATUSES = LABELS["schedule_status"]


def _shown(values: dict[str, str]) -> dict[str, str]:
    """A message's figures as a person reads them: schedule states in words, ISO dates in the local format."""
    out = dict(values)
    if out.get("status") in _SCHEDULE_STATUSES:
        out["status"] = str(_SCHEDULE_STATUSES[out["status"]])
    for key in ("date", "first", "last"):
        if key in out:
            try:
                out[key] = format_date(date.fromisoformat(out[key]), "medium")
            except ValueError:
                pass
    return out


def ui_message(message) -> str:
    """A validation message in the UI language: marshmallow's defaults and the common schema messages by
    template (figures kept), anything else as it is."""
    message = str(message)
    for pattern, text, ops in _PATTERNS:
        match = pattern.match(message)
        if match:
            values = {**{k: str(_RANGE_OPS[v]) for k, v in ops.items()}, **_shown(match.groupdict())}
            return str(text) % values if values else str(text)
    for prefix, text in SCHEMA_MESSAGES:
        if message.startswith(prefix):
            return str(text)
    return message


def ui_messages(messages):
    """A marshmallow error structure (dicts of lists of messages, nested) with every message translated."""
    if isinstance(messages, dict):
        return {key: ui_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [ui_messages(value) for value in messages]
    if isinstance(messages, str):
        return ui_message(messages)
    return messages
