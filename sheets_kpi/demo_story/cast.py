"""The demo agency's cast: its managers, the services it sells, the names its clients get."""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = 14  # the demo covers this many months, the last one being the month of `as_of`
SEED = 20261122

SAME_ID_AS_ABOVE = -1  # a row's ID: the same as the row above (a copy-pasted row)


@dataclass(frozen=True)
class Manager:
    name_ru: str
    name_en: str
    scheme: str  # canonical scheme key
    params_ru: str
    params_en: str
    salary: int
    new_clients: tuple[int, ...]  # choices of new clients per month
    services: tuple[str, ...]
    calls_per_day: int
    contact_hours: tuple[int, int]  # hours after midnight of the lead date, for first contact
    active_until: int = MONTHS  # month index (0-based) from which the manager no longer works


ANNA, DMITRY, EKATERINA, IGOR, MARIA, SERGEY, OLGA = range(7)
MISSES_PLAN = MARIA
PLAN_SPIKE = DMITRY
HOLIDAY_MONTH = MONTHS - 4  # month index of Анна's holiday
SLOW_AND_QUIET = SERGEY

MANAGERS: tuple[Manager, ...] = (
    Manager("Анна Смирнова", "Anna Smirnova", "two_step", "15%; 15%; 4", "15%; 15%; 4", 60000,
             (1, 2, 2, 3), ("seo", "context", "site"), 16, (9, 15)),
    Manager("Дмитрий Ковалёв", "Dmitry Kovalev", "tiers", "100000=25000; 150000=35000",
             "100000=25000; 150000=35000", 55000, (1, 1, 2, 2), ("site", "seo", "context"), 15,
             (9, 17)),
    Manager("Екатерина Орлова", "Ekaterina Orlova", "margin", "50%", "50%", 50000,
             (1, 1, 2), ("context", "smm", "seo"), 14, (10, 16)),
    Manager("Игорь Петров", "Igor Petrov", "fixed", "10000; входящие", "10000; inbound", 45000,
             (0, 1, 1, 2), ("smm", "landing", "context"), 13, (9, 18)),
    Manager("Мария Лебедева", "Maria Lebedeva", "two_step", "10%; 20%; 3", "10%; 20%; 3", 50000,
             (1, 1, 2), ("smm", "context", "seo"), 14, (10, 19)),
    Manager("Сергей Волков", "Sergey Volkov", "tiers",
             "80000=15000; 120000=25000; 200000=45000", "80000=15000; 120000=25000; 200000=45000",
             45000, (0, 1, 1), ("seo", "site"), 6, (33, 60)),
    Manager("Ольга Никитина", "Olga Nikitina", "tiers", "", "", 40000, (0, 1, 1),
             ("smm", "context"), 12, (9, 16), active_until=9),
)  # fmt: skip

# service -> (monthly fee range in thousands, margin share, possible paying months)
SERVICES: dict[str, tuple[tuple[int, int], float, tuple[int, ...]]] = {
    "seo": ((40, 120), 0.55, (2, 3, 4, 5, 6, 8, 10, 12, 14)),
    "context": ((30, 90), 0.35, (1, 2, 3, 4, 5, 6, 9, 12)),
    "smm": ((35, 80), 0.45, (1, 2, 3, 3, 4, 6, 8)),
    "landing": ((60, 120), 0.5, (1,)),
    "site": ((150, 420), 0.4, (1,)),
}

KINDS = (
    "ООО", "Кофейня", "Стоматология", "Автосервис", "Фитнес-клуб", "Клиника", "Салон красоты",
    "Ресторан", "Пекарня", "Школа английского", "Детский центр", "Ветклиника", "Турагентство",
    "Мебельная фабрика", "Юридическая компания", "Строительная компания", "Интернет-магазин",
    "Агентство недвижимости", "Гостиница", "Автошкола", "Цветочный салон", "Типография",
    "Кондитерская", "Барбершоп", "Транспортная компания",
)  # fmt: skip
BRANDS = (
    "Зерно", "Мотор", "Атлант", "Лаванда", "Радуга", "Пальма", "Флора", "Колосок",
    "Сезоны", "Уют", "Север", "Вектор", "Гранит", "Меридиан", "Орбита", "Созвездие", "Каскад",
    "Лотос", "Парус", "Эталон", "Горизонт", "Альянс", "Магнит", "Сфера", "Форвард", "Баланс",
    "Янтарь", "Бриз", "Кедр", "Олимп", "Полёт", "Дуэт", "Фортуна", "Феникс", "Пионер", "Мастер",
    "Престиж", "Кристалл", "Подсолнух",
)  # fmt: skip
SURNAMES = (
    "Кузнецова", "Морозов", "Васильев", "Павлова", "Семёнов", "Голубев", "Виноградова",
    "Богданов", "Воробьёв", "Фёдоров", "Михайлова", "Беляев", "Тарасов", "Белова", "Комаров",
    "Киселёв", "Макаров", "Андреева", "Зайцев", "Соловьёва", "Борисов", "Яковлев", "Григорьева",
    "Романов", "Захаров", "Гусева", "Титов", "Кудрявцев", "Баранова", "Куликов",
)  # fmt: skip

LOSS_REASONS: tuple[tuple[str, str, int], ...] = (
    ("дорого", "too expensive", 5),
    ("выбрали другое агентство", "chose another agency", 4),
    ("не вышли на ЛПР", "could not reach the decision maker", 3),
    ("пропала потребность", "no longer needed", 2),
    ("не устроили сроки", "timing did not suit", 1),
    ("нет бюджета", "no budget", 2),
)
