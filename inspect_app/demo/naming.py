"""Names, people, phone numbers and BINs of the demo registry; the word lists are data (data/words.json)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from stdnum.exceptions import InvalidComponent

from inspect_app import kz_bin

# Word lists (names, streets, persons, reasons) are data: demo/data/words.json.
WORDS = json.loads((Path(__file__).parent / "data" / "words.json").read_text(encoding="utf-8"))
KG_NAMES = tuple(WORDS["kg_names"])
CAMP_NAMES = tuple(WORDS["camp_names"])
CLUB_NAMES = tuple(WORDS["club_names"])
FUN_NAMES = tuple(WORDS["fun_names"])
PERSONS = tuple(WORDS["persons"])
COLLEGE_KINDS = tuple(WORDS["college_kinds"])
STREETS = tuple(WORDS["streets"])
KZ_SURNAMES = tuple(WORDS["kz_surnames"])
RU_SURNAMES = tuple(WORDS["ru_surnames"])
KZ_MALE = tuple(WORDS["kz_male"])
KZ_FEMALE = tuple(WORDS["kz_female"])
KZ_FATHERS = tuple(WORDS["kz_fathers"])
RU_MALE = tuple(WORDS["ru_male"])
RU_FEMALE = tuple(WORDS["ru_female"])
RU_PATRONYMS = tuple(WORDS["ru_patronyms"])
MOBILE_CODES = tuple(WORDS["mobile_codes"])
MAIL_DOMAINS = tuple(WORDS["mail_domains"])

RISK_REASONS = {key: tuple(value) for key, value in WORDS["risk_reasons"].items()}

ABSENCE_KINDS = tuple(tuple(kind) for kind in WORDS["absence_kinds"])

TRANSLIT = WORDS["translit"]

def is_city(town: dict) -> bool:
    """A town of 10,000 people or more is a city (its names say "города", "қаласының")."""
    return town["population"] >= 10000


def translit(text: str) -> str:
    """Transliterate Russian/Kazakh Cyrillic to lowercase ascii for logins and emails."""
    out = []
    for ch in text.lower():
        if ch in TRANSLIT:
            out.append(TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
    return "".join(out)


def person(rng: random.Random, female_share: float = 0.5) -> tuple[str, bool]:
    female = rng.random() < female_share
    if rng.random() < 0.72:
        surname = rng.choice(KZ_SURNAMES)
        first = rng.choice(KZ_FEMALE if female else KZ_MALE)
        father = rng.choice(KZ_FATHERS)
        patronym = father + ("овна" if female else "ович")
    else:
        surname = rng.choice(RU_SURNAMES)
        first = rng.choice(RU_FEMALE if female else RU_MALE)
        patronym = rng.choice(RU_PATRONYMS)[1 if female else 0]
    if female and surname.endswith(("ов", "ев", "ин")):
        surname += "а"
    elif not female and surname.endswith("ова"):
        surname = surname[:-1]
    return f"{surname} {first} {patronym}", female


def phone(rng: random.Random) -> str:
    n = rng.randrange(10**7)
    s = f"{n:07d}"
    return f"+7 {rng.choice(MOBILE_CODES)} {s[:3]} {s[3:5]} {s[5:]}"


class Names:
    """Builds realistic Russian/Kazakh names, numbering per town and kind."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counters: dict[tuple[str, str], int] = {}

    def number(self, town: dict, kind: str) -> int:
        key = (town["district_kato"], kind)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def make(self, ftype: str, agency: str, town: dict) -> tuple[str, str, str]:
        """Return (name_ru, name_kk, email_stem)."""
        rng = self.rng
        city = is_city(town)
        ru_of = f"{'города' if city else 'села'} {town['name_ru']}"
        kk_of = f"{town['name_kk']} {'қаласының' if city else 'ауылының'}"
        slug = translit(town["name_ru"])
        if ftype == "school":
            if agency == "private":
                brand = rng.choice(("Білім-Инновация", "Дарын", "Зерде", "Мирас", "Нур", "Оркен"))
                return (f"ТОО «Частная школа «{brand}»»", f"««{brand}» жеке мектебі» ЖШС",
                        f"school.{translit(brand)}")
            n = self.number(town, "school")
            r = rng.random()
            if r < 0.15:
                ru_p, kk_p = rng.choice(PERSONS)
                return (f"КГУ «Общеобразовательная школа имени {ru_p}» {ru_of}",
                        f"«{kk_of} {kk_p} атындағы жалпы білім беретін мектебі» КММ",
                        f"school{n}.{slug}")
            if r < 0.25 and city:
                return (f"КГУ «Школа-гимназия № {n}» {ru_of}",
                        f"«{kk_of} № {n} мектеп-гимназиясы» КММ", f"gym{n}.{slug}")
            return (f"КГУ «Средняя школа № {n}» {ru_of}",
                    f"«{kk_of} № {n} жалпы білім беретін мектебі» КММ", f"school{n}.{slug}")
        if ftype == "kindergarten":
            brand = rng.choice(KG_NAMES)
            if agency == "private":
                form = rng.choice(("ТОО", "ИП"))
                kk_form = "ЖШС" if form == "ТОО" else "ЖК"
                return (f"{form} Детский сад «{brand}»", f"«{brand}» балабақшасы {kk_form}",
                        f"ds.{translit(brand)}")
            n = self.number(town, "kindergarten")
            return (f"ГККП «Ясли-сад № {n} «{brand}»» {ru_of}",
                    f"{kk_of} «{brand}» № {n} бөбекжай-бақшасы МКҚК", f"ds{n}.{slug}")
        if ftype == "summer_camp":
            brand = rng.choice(CAMP_NAMES)
            return (f"Детский оздоровительный лагерь «{brand}»",
                    f"«{brand}» балалар сауықтыру лагері", f"camp.{translit(brand)}")
        if ftype == "sports_club":
            if agency == "private":
                brand = rng.choice(CLUB_NAMES)
                return (f"Спортивный клуб «{brand}»", f"«{brand}» спорт клубы",
                        f"club.{translit(brand)}")
            n = self.number(town, "dyussh")
            return (f"КГКП «Детско-юношеская спортивная школа № {n}» {ru_of}",
                    f"«{kk_of} № {n} балалар-жасөспірімдер спорт мектебі» МКҚК",
                    f"dyussh{n}.{slug}")
        if ftype == "leisure_centre":
            if agency == "private":
                brand = rng.choice(FUN_NAMES)
                return (f"Детский развлекательный центр «{brand}»",
                        f"«{brand}» балалар ойын-сауық орталығы", f"fun.{translit(brand)}")
            if city and rng.random() < 0.3:
                return (f"КГКП «Дворец школьников» {ru_of}", f"«{kk_of} оқушылар сарайы» МКҚК",
                        f"dvorec.{slug}")
            if rng.random() < 0.4:
                n = self.number(town, "music")
                return (f"КГКП «Детская музыкальная школа № {n}» {ru_of}",
                        f"«{kk_of} № {n} балалар музыка мектебі» МКҚК", f"dms{n}.{slug}")
            brand = rng.choice(KG_NAMES)
            return (f"КГКП «Центр детского творчества «{brand}»» {ru_of}",
                    f"«{brand}» балалар шығармашылығы орталығы МКҚК", f"cdt.{slug}")
        if ftype == "college":
            if agency == "health":
                return (f"ГКП на ПХВ «Медицинский колледж» {ru_of}",
                        f"«{kk_of} медициналық колледжі» ШЖҚ МКК", f"medcollege.{slug}")
            ru_k, kk_k = rng.choice(COLLEGE_KINDS)
            if ru_k.startswith("Колледж"):
                return (f"КГКП «{ru_k}» {ru_of}", f"«{kk_of} {kk_k} колледжі» МКҚК",
                        f"college.{slug}")
            return (f"КГКП «{ru_k} колледж» {ru_of}", f"«{kk_of} {kk_k} колледжі» МКҚК",
                    f"college.{slug}")
        if ftype == "boarding_school":
            n = self.number(town, "boarding")
            return (f"КГУ «Школа-интернат № {n}» {ru_of}",
                    f"«{kk_of} № {n} мектеп-интернаты» КММ", f"internat{n}.{slug}")
        if agency == "health":
            n = self.number(town, "clinic")
            return (f"ГКП на ПХВ «Детская поликлиника № {n}» {ru_of}",
                    f"«{kk_of} № {n} балалар емханасы» ШЖҚ МКК", f"dp{n}.{slug}")
        if agency == "internal_affairs":
            return (f"ГУ «Центр адаптации несовершеннолетних» {ru_of}",
                    f"«{kk_of} кәмелетке толмағандарды бейімдеу орталығы» ММ", f"can.{slug}")
        if agency == "akimat":
            return (f"КГУ «Центр поддержки детей, оставшихся без попечения родителей» {ru_of}",
                    f"«{kk_of} ата-анасының қамқорлығынсыз қалған балаларды қолдау орталығы» КММ",
                    f"cpd.{slug}")
        brand = rng.choice(KG_NAMES)
        return (f"Детский центр развития «{brand}»", f"«{brand}» балаларды дамыту орталығы",
                f"razvitie.{translit(brand)}")


class Bins:
    """Unique, checksummed 12-digit BINs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, *, private: bool = False, branch: bool = False) -> str:
        rng = self.rng
        while True:
            yy = rng.randint(1996, 2023) % 100
            mm = rng.randint(1, 12)
            kind = "6" if private and rng.random() < 0.1 else "4"
            sub = "1" if branch else "0"
            head = f"{yy:02d}{mm:02d}{kind}{sub}{rng.randrange(100000):05d}"
            try:
                number = head + kz_bin.calc_check_digit(head)
            except InvalidComponent:  # these 11 digits have no check digit: draw another serial
                continue
            if number not in self.used:
                self.used.add(number)
                return number


ABBREV = (
    ("Средняя школа", "СШ"), ("Общеобразовательная школа", "ОШ"), ("Ясли-сад", "Я/с"),
    ("Детский сад", "Д/с"), ("Детско-юношеская спортивная школа", "ДЮСШ"),
)


def respell(name: str, rng: random.Random) -> str:
    """A second agency's spelling of the same facility's name."""
    out = name
    for full, short in ABBREV:
        if full in out:
            out = out.replace(full, short)
            break
    out = out.replace("№ ", "№").replace(" города ", " г. ").replace(" села ", " с. ")
    for prefix in ("КГУ ", "ГККП ", "КГКП ", "ТОО ", "ИП "):
        if out.startswith(prefix):
            out = out[len(prefix):]
            break
    if rng.random() < 0.5:
        out = out.replace("«", '"').replace("»", '"')
    return out if out != name else name + " (филиал)"
