from django.db import migrations

LEVELS = [
    ("preschool", "Дошкольное образование"),
    ("primary", "Начальное общее образование"),
    ("basic", "Основное общее образование"),
    ("secondary", "Среднее общее образование"),
    ("additional", "Дополнительное образование"),
    ("vocational", "Среднее профессиональное образование"),
]

SUBJECT_AREAS = [
    "Русский язык и литература",
    "Математика",
    "Информатика",
    "Физика",
    "Химия",
    "Биология",
    "География",
    "История и обществознание",
    "Иностранные языки",
    "Искусство",
    "Технология",
    "Физическая культура",
    "Начальная школа",
    "Дошкольное воспитание",
    "Воспитательная работа",
    "Профориентация",
    "Инклюзивное образование",
    "Управление образовательной организацией",
    "Цифровая образовательная среда",
]

CRITERIA = [
    ("Актуальность", "Насколько продукт отвечает на важную для школ проблему."),
    ("Новизна", "Чем продукт отличается от известных решений."),
    ("Результативность", "Подтверждены ли результаты применения продукта."),
    ("Тиражируемость", "Можно ли перенести продукт в другие организации."),
    (
        "Ресурсоёмкость",
        "Насколько посильны требуемые кадры, время, деньги и оборудование "
        "(5 — ресурсов нужно мало).",
    ),
]


def create(apps, schema_editor):
    EducationLevel = apps.get_model("products", "EducationLevel")
    SubjectArea = apps.get_model("products", "SubjectArea")
    ReviewCriterion = apps.get_model("products", "ReviewCriterion")
    for order, (code, name) in enumerate(LEVELS):
        EducationLevel.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for order, name in enumerate(SUBJECT_AREAS):
        SubjectArea.objects.get_or_create(name=name, defaults={"order": order})
    for order, (name, description) in enumerate(CRITERIA):
        ReviewCriterion.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("products", "0002_postgresql_search")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
