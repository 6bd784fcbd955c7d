"""The services' own messages in the UI language, by their English template (`messages.ui_message` matches them).

Services speak English (the API's language, and the log's); each message a person may read has its Russian
msgid here, translated through the Babel catalogs. Messages with figures name them ({id}, {status}, {date}):
`ui_message` shows schedule states in words and dates in the local format.
"""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class Counted(NamedTuple):
    """A message with a count in it: its singular and plural msgids and the figure that picks the language's form."""

    singular: str
    plural: str
    count: str

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
    "The export file is gone; start it again.": _l("Файл выгрузки больше недоступен; запустите выгрузку снова."),
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
    "The user who started the export no longer exists.": _l("Пользователя, запустившего выгрузку, больше нет."),
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
    "Only https URLs are allowed.": _l("Разрешены только адреса https."),
    "Only http and https URLs are allowed.": _l("Разрешены только адреса http и https."),
    "Not a valid URL.": _l("Неверный адрес (URL)."),
    "A URL must not carry a user name or password.": _l("Адрес не должен содержать имя пользователя или пароль."),
    "Choose at least one event.": _l("Выберите хотя бы одно событие."),
    "Unknown event.": _l("Неизвестное событие."),
    "Only an admin may allow private addresses.": _l("Разрешить внутренний адрес может только администратор."),
    "This event is not sent to your role.": _l("Это событие не отправляется вашей роли."),
    "This event cannot be switched off for your role.": _l("Это событие нельзя отключить для вашей роли."),
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
    "The password needs at least {n} characters.": Counted("Пароль должен быть не короче %(n)s символа.",
                                                           "Пароль должен быть не короче %(n)s символов.", "n"),
    "Must be between {a} and {b}.": _l("Значение должно быть от %(a)s до %(b)s."),
    "A token's name has at most {n} characters.": Counted("Название токена — не длиннее %(n)s символа.",
                                                          "Название токена — не длиннее %(n)s символов.", "n"),
    "A token lasts between 1 and {n} days; every token expires.":
        _l("Токен действует от 1 до %(n)s дней; бессрочных токенов нет."),
    "Audit {id} was already corrected by audit {newer}; correct that one.":
        _l("Проверка №%(id)s уже исправлена проверкой №%(newer)s; исправляйте её."),
    "Audit {id} was already {outcome} by {who} at {when}.":
        _l("По проверке №%(id)s решение уже принято (%(outcome)s): %(who)s, %(when)s."),
    "A returned audit needs a comment saying what to correct.":
        _l("Возвращая проверку, напишите, что нужно исправить."),
    "Only supervisors and admins review audits.": _l("Проверки рассматривают только руководители и администраторы."),
    "Nobody reviews an audit they wrote.": _l("Свою проверку рассматривать нельзя."),
    "Only a submitted audit in force is reviewed; review its latest version.":
        _l("Рассматривается только отправленная действующая версия проверки; откройте последнюю версию."),
    "Only an audit returned by review is corrected from here.":
        _l("Здесь исправляются только проверки, возвращённые на доработку."),
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
    "At most {n} characters.": Counted("Не длиннее %(n)s символа.", "Не длиннее %(n)s символов.", "n"),
    "At most {n} photos.": Counted("Не больше %(n)s фотографии.", "Не больше %(n)s фотографий.", "n"),
    "The deadline may not be before {date}.": _l("Срок не может быть раньше %(date)s."),
}
