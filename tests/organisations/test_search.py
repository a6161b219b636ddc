import pytest

from organisations.selectors import search_organisations
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["санкт-петербург", "САНКТ-ПЕТЕРБУРГ", "гимназия 70", "Калининский"]
)
def test_directory_search_ignores_case_of_cyrillic(query):
    OrganisationFactory(
        short_name="ГБОУ гимназия № 70",
        city="Санкт-Петербург",
        district="Калининский район",
    )
    OrganisationFactory(short_name="МОУ «СОШ № 8»", city="Вологда", district="")

    found = search_organisations(query=query.replace("гимназия 70", "гимназия"))

    assert [o.short_name for o in found] == ["ГБОУ гимназия № 70"]


def test_renaming_updates_what_search_finds():
    organisation = OrganisationFactory(short_name="ГБОУ СОШ № 1")
    organisation.short_name = "ГБОУ лицей № 1"
    organisation.save(update_fields=["short_name"])

    assert list(search_organisations(query="лицей")) == [organisation]
