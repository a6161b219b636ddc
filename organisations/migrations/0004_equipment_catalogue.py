from django.db import migrations

EQUIPMENT = [
    ("Ноутбук для учителя", "computers"),
    ("Ноутбук для обучающегося", "computers"),
    ("Планшет для обучающегося", "computers"),
    ("Документ-камера", "presentation"),
    ("Интерактивная панель", "presentation"),
    ("Мультимедийный проектор", "presentation"),
    ("Система голосования (пульты)", "presentation"),
    ("Цифровая лаборатория по физике", "digital_lab"),
    ("Цифровая лаборатория по химии", "digital_lab"),
    ("Цифровая лаборатория по биологии", "digital_lab"),
    ("Цифровой микроскоп", "digital_lab"),
    ("Образовательный конструктор по робототехнике", "robotics"),
    ("3D-принтер", "robotics"),
    ("Набор для программирования микроконтроллеров", "robotics"),
    ("Квадрокоптер учебный", "robotics"),
    ("Шлем виртуальной реальности", "robotics"),
    ("Беспроводная сеть в учебном кабинете", "network"),
    ("Лицензия на LMS (система дистанционного обучения)", "network"),
    ("Трансформируемая мебель для групповой работы", "furniture"),
    ("Коворкинг-зона", "furniture"),
]


def create_catalogue(apps, schema_editor):
    EquipmentType = apps.get_model("organisations", "EquipmentType")
    for name, category in EQUIPMENT:
        EquipmentType.objects.get_or_create(name=name, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_equipment_type")]

    operations = [
        migrations.RunPython(create_catalogue, migrations.RunPython.noop),
    ]
