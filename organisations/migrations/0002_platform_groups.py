from django.db import migrations

PLATFORM_GROUPS = ["experts", "administrators"]


def create_platform_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in PLATFORM_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_platform_groups, migrations.RunPython.noop),
    ]
