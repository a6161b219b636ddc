"""The public catalogue: search, filters, facets, sorting and pages.

On PostgreSQL the text search uses the stored weighted vector (``russian``
configuration) and ranks a capped set of candidates, so a common word costs
no more than a rare one; a query that finds nothing in the whole catalogue
(not merely among the filtered products) has its words replaced
by the most similar words of titles and summaries (trigram similarity over
the word list that migration 0005 keeps) and is run again. On SQLite (the
embedded default) words are matched by their stems in a lower-cased copy of
the text, and typos are corrected against the words of titles and summaries.

Every page costs the same number of queries, whatever its size and number.

Counts, facets and the rendered fragments of the catalogue page are cached
under a generation number that every change of what the catalogue shows
moves on (``changed``, called by the signal receivers of ``products.signals``
and by services that write with ``update``). Where the cache is shared
(Redis), a change made through the models reaches every process's next page;
a per-process cache sees another process's change only once its own entries
expire, up to twice ``CACHE_SECONDS`` later (a count, then the fragment that
shows it). Writes made behind the models' back (SQL by hand) wait for the
same expiry. A cache out of reach makes every page a first one, served
from the database (``products.cache``).
"""

import difflib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache as default_cache
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organisations.models import EquipmentType, Organisation
from organisations.regions import Region
from products import cache
from products.models import (
    EducationLevel,
    Product,
    RequiredEquipment,
    SubjectArea,
)
from products.text import WORD, stem_of, words_of

PAGE_SIZE = 20
# How many matches of a text query are ranked by relevance.
RANKED_CANDIDATES = 1000
TRIGRAM_THRESHOLD = "0.3"
# A typo is looked for in this many words of a query at most.
MAX_QUERY_WORDS = 8
SORTS = {
    "relevance": _("By relevance"),
    "newest": _("Newest first"),
    "rating": _("By expert rating"),
}
# What the sort menu offers; the empty choice means relevance for a search
# and newest first without one.
SORT_CHOICES = {
    "": _("Best match"),
    "newest": _("Newest first"),
    "rating": _("By expert rating"),
}
RATING_STEPS = [Decimal("4.5"), Decimal("4"), Decimal("3")]
MAX_DISTRICT_FACETS = 30
CACHE_SECONDS = 300
GENERATION_KEY = "catalogue:generation"


@dataclass
class CatalogueQuery:
    text: str = ""
    kinds: list[str] = field(default_factory=list)
    subject_areas: list[int] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    equipment: list[int] = field(default_factory=list)
    min_rating: Decimal | None = None
    sort: str = ""
    page: int = 1

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.text):
            return self.sort
        return "relevance" if self.text else "newest"


# Given a query, the products whose values its facets count.
Counted = Callable[["CatalogueQuery"], QuerySet]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class CatalogueResult:
    products: list[Product]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]]
    corrected_text: str = ""
    is_ranked_subset: bool = False


def _filtered(query: CatalogueQuery) -> QuerySet[Product]:
    products = Product.objects.published()
    if query.kinds:
        products = products.filter(kind__in=query.kinds)
    if query.subject_areas:
        products = products.filter(
            Exists(
                Product.subject_areas.through.objects.filter(
                    product_id=OuterRef("pk"), subjectarea_id__in=query.subject_areas
                )
            )
        )
    if query.levels:
        products = products.filter(
            Exists(
                Product.education_levels.through.objects.filter(
                    product_id=OuterRef("pk"), educationlevel__code__in=query.levels
                )
            )
        )
    if query.regions:
        products = products.filter(carrier__region__in=query.regions)
    if query.districts:
        products = products.filter(carrier__district__in=query.districts)
    for equipment_id in query.equipment:
        products = products.filter(
            Exists(
                RequiredEquipment.objects.filter(
                    product_id=OuterRef("pk"), equipment_type_id=equipment_id
                )
            )
        )
    if query.min_rating is not None:
        products = products.filter(rating__gte=query.min_rating)
    return products


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _text_matches_postgresql(products: QuerySet, text: str) -> QuerySet:
    return products.filter(
        search_vector=SearchQuery(text, config="russian", search_type="websearch")
    )


def _corrected_text_postgresql(text: str) -> str:
    """Replace each word by the most similar word of published titles and
    summaries (itself when it is one), in one query over the word list."""
    words = [word.lower() for word in WORD.findall(text)][:MAX_QUERY_WORDS]
    if not words:
        return ""
    with connection.cursor() as cursor:
        # The threshold of the ``%`` operator holds for the current
        # transaction only (the caller holds one open).
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [TRIGRAM_THRESHOLD],
        )
        cursor.execute(
            """
            SELECT coalesce(
              (SELECT known.word FROM products_searchword known
               WHERE known.word %% asked.word
               ORDER BY similarity(known.word, asked.word) DESC, known.word
               LIMIT 1),
              asked.word)
            FROM unnest(%s::text[]) WITH ORDINALITY AS asked(word, position)
            ORDER BY asked.position
            """,
            [words],
        )
        return " ".join(row[0] for row in cursor.fetchall())


def _stem_matches(products: QuerySet, text: str) -> QuerySet:
    for word in words_of(text)[:8]:
        products = products.filter(search_text__contains=" " + stem_of(word))
    return products


def _corrected_text_sqlite(text: str) -> str:
    """Replace unknown words by the closest words of titles and summaries."""
    vocabulary: set[str] = set()
    texts = Product.objects.published().values_list("title", "summary")[:5000]
    for title, summary in texts:
        vocabulary.update(words_of(f"{title} {summary}"))
    corrected = []
    for word in words_of(text):
        if word in vocabulary:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    return " ".join(corrected)


def search(query: CatalogueQuery, *, with_facets: bool = True) -> CatalogueResult:
    """Return one page of the catalogue with its total and, unless told
    otherwise, its facets."""
    with transaction.atomic():
        return _search(query, with_facets)


def _search(query: CatalogueQuery, with_facets: bool) -> CatalogueResult:
    filtered = _filtered(query)
    text = query.text.strip()
    if not text:
        return _browse(filtered, query, with_facets)

    corrected = ""
    if _is_postgresql():
        matches = _text_matches_postgresql(filtered, text)
        candidates = _candidates(matches, text, query)
        fixed = (
            _corrected_text_postgresql(text)
            if _is_unknown(candidates, query, _text_matches_postgresql, text)
            else ""
        )
        if fixed and fixed != " ".join(word.lower() for word in WORD.findall(text)):
            matches, corrected = _text_matches_postgresql(filtered, fixed), fixed
            candidates = _candidates(matches, fixed, query)
        words = corrected or text

        def matching(products: QuerySet) -> QuerySet:
            return _text_matches_postgresql(products, words)

        ranked_by = words
    else:
        matches = _stem_matches(filtered, text)
        candidates = _candidates(matches, "", query)
        fixed = (
            _corrected_text_sqlite(text)
            if _is_unknown(candidates, query, _stem_matches, text)
            else ""
        )
        if fixed and fixed != " ".join(words_of(text)):
            matches, corrected = _stem_matches(filtered, fixed), fixed
            candidates = _candidates(matches, "", query)
        words = corrected or text

        def matching(products: QuerySet) -> QuerySet:
            return _stem_matches(products, words)

        ranked_by = ""

    def counted(asked: CatalogueQuery) -> QuerySet:
        """The products the facets of ``asked`` count: its candidates."""
        if asked is query:
            return Product.objects.filter(pk__in=candidates)
        ids = _candidate_ids(matching(_filtered(asked)), ranked_by, asked)
        return Product.objects.filter(pk__in=ids)

    # A text query works on its best candidates: their ids are read once, and
    # the page and the facets are taken among them, so a common word costs
    # no more than a rare one. The exact total is counted (and cached) only
    # when the candidates are capped.
    is_capped = len(candidates) == RANKED_CANDIDATES
    total = len(candidates)
    if is_capped:
        total = _cached_count(matches, query)
    pages = max(1, -(-len(candidates) // PAGE_SIZE))
    page = min(max(query.page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    on_page = candidates[start : start + PAGE_SIZE]
    by_id = {
        product.pk: product
        for product in Product.objects.filter(pk__in=on_page)
        .select_related("carrier")
        .prefetch_related("subject_areas", "education_levels")
    }
    return CatalogueResult(
        products=[by_id[pk] for pk in on_page if pk in by_id],
        total=total,
        page=page,
        pages=pages,
        facets=(
            _cached_facets(counted, query, text.lower(), query.effective_sort)
            if with_facets
            else {}
        ),
        corrected_text=corrected,
        is_ranked_subset=is_capped,
    )


def _is_unknown(
    candidates: list[int],
    query: CatalogueQuery,
    matching: Callable[[QuerySet, str], QuerySet],
    text: str,
) -> bool:
    """Whether ``text`` matches no published product at all, so its words
    are worth correcting; matching only outside the filters is no typo."""
    if candidates:
        return False
    if not _narrows(query):
        return True
    return not matching(Product.objects.published(), text).exists()


def _narrows(query: CatalogueQuery) -> bool:
    return bool(
        query.kinds
        or query.subject_areas
        or query.levels
        or query.regions
        or query.districts
        or query.equipment
        or query.min_rating is not None
    )


def _candidates(matches: QuerySet, text: str, query: CatalogueQuery) -> list[int]:
    """Return the ids of the best matches in the order of the chosen sort."""
    return list(_candidate_ids(matches, text, query))


def _candidate_ids(matches: QuerySet, text: str, query: CatalogueQuery) -> QuerySet:
    """The ids of the best matches, as a query that can also serve as a
    subquery."""
    sort = query.effective_sort
    if sort == "rating":
        ordered = matches.order_by(
            F("rating").desc(nulls_last=True), "-published_at", "-pk"
        )
    elif sort == "relevance" and text:
        # Rank the first matches the index yields, not every match: ranking
        # reads each vector, and a common word matches half the catalogue.
        tsquery = SearchQuery(text, config="russian", search_type="websearch")
        first = matches.order_by().values("pk")[:RANKED_CANDIDATES]
        ordered = (
            Product.objects.filter(pk__in=first)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "-pk")
        )
    else:
        ordered = matches.order_by("-published_at", "-pk")
    return ordered.values_list("pk", flat=True)[:RANKED_CANDIDATES]


def _browse(
    filtered: QuerySet, query: CatalogueQuery, with_facets: bool
) -> CatalogueResult:
    """The catalogue without a text query: every filtered product, paged.

    The total is cached like the facets. A page is found among the ids
    alone, which the sort index yields without reading the rows, and only
    its rows are read: a deep page skips thousands of ids, not of products.
    """
    total = _cached_count(filtered, query)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(query.page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    sort = query.effective_sort
    order = (
        [F("rating").desc(nulls_last=True), "-published_at", "-pk"]
        if sort == "rating"
        else ["-published_at", "-pk"]
    )
    on_page = list(
        filtered.order_by(*order).values_list("pk", flat=True)[
            start : start + PAGE_SIZE
        ]
    )
    by_id = (
        Product.objects.filter(pk__in=on_page)
        .select_related("carrier")
        .prefetch_related("subject_areas", "education_levels")
        .in_bulk()
    )
    return CatalogueResult(
        products=[by_id[pk] for pk in on_page if pk in by_id],
        total=total,
        page=page,
        pages=pages,
        facets=_cached_facets(_filtered, query) if with_facets else {},
    )


def generation() -> int:
    """The number the catalogue's cache keys carry; ``changed`` moves it on.

    It starts from the clock, so a generation lost from the cache (evicted,
    or the cache cleared) is never followed by one already used.
    """
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def changed() -> None:
    """Make every cached count, facet and fragment of the catalogue stale.

    Call it when something the catalogue shows changes; inside a transaction
    it acts on commit, so a page rendered meanwhile from the old rows is
    cached under the old generation. A cache out of reach is logged and
    does not undo the change: its pages expire after ``CACHE_SECONDS``.
    """
    transaction.on_commit(_next_generation, robust=True)


def _next_generation() -> None:
    try:
        default_cache.incr(GENERATION_KEY)
    except ValueError:
        default_cache.set(GENERATION_KEY, time.time_ns(), None)


def cache_key(
    kind: str, query: CatalogueQuery, *extra, at_generation: int | None = None
) -> str:
    """A key for something cached of ``query`` in the current generation (or
    the one given): its filters always, and whatever ``extra`` adds (the
    words, the page)."""
    filters = (
        query.kinds,
        query.subject_areas,
        query.levels,
        query.regions,
        query.districts,
        query.equipment,
        query.min_rating,
        *extra,
    )
    digest = hashlib.sha1(repr(filters).encode()).hexdigest()
    if at_generation is None:
        at_generation = generation()
    return f"catalogue:{at_generation}:{kind}:{digest}"


def _cached_count(matches: QuerySet, query: CatalogueQuery) -> int:
    """Count the matches of a common word, or of a browse, once per
    generation rather than on every page."""
    key = cache_key("count", query, query.text.strip().lower())
    total = cache.get(key)
    if total is None:
        total = matches.count()
        cache.set(key, total, CACHE_SECONDS)
    return total


def _cached_facets(counted: Counted, query: CatalogueQuery, *extra) -> dict:
    """Keep the facets of the same filters (and, for a text query, the same
    words and sort, given in ``extra``), so the pages of one search count
    them once."""
    key = cache_key("facets", query, get_language(), *extra)
    facets = cache.get(key)
    if facets is None:
        facets = _facets(counted, query)
        cache.set(key, facets, CACHE_SECONDS)
    return facets


def _facets(counted: Counted, query: CatalogueQuery) -> dict[str, list[FacetValue]]:
    """Count the values of each facet among the products ``counted`` gives
    for ``query``.

    A group the query already narrows by (kinds, areas, levels, regions,
    districts, the rating) is counted as if it did not, so its other values
    stay on offer and add to the results; required equipment narrows with
    every item ticked, so it is counted among the results. A ticked value
    is always shown, with 0 when nothing has it, so it can be unticked.
    """
    matches = counted(query)

    def among(group: str) -> QuerySet:
        if not getattr(query, group):
            return matches
        return counted(replace(query, **{group: None if group == "min_rating" else []}))

    kinds = _counts(among("kinds"), "kind")
    areas = dict(
        Product.subject_areas.through.objects.filter(
            product_id__in=among("subject_areas").values("pk")
        )
        .values_list("subjectarea_id")
        .annotate(n=Count("*"))
    )
    levels = dict(
        Product.education_levels.through.objects.filter(
            product_id__in=among("levels").values("pk")
        )
        .values_list("educationlevel__code")
        .annotate(n=Count("*"))
    )
    regions = _counts(among("regions"), "carrier__region")
    districts = dict(
        among("districts")
        .order_by()
        .exclude(carrier__district="")
        .values_list("carrier__district")
        .annotate(n=Count("*"))
        .order_by("-n", "carrier__district")[:MAX_DISTRICT_FACETS]
    )
    if missing := [name for name in query.districts if name not in districts]:
        # A ticked district beyond the most frequent ones is shown, with 0
        # if need be, when it is one: not whatever an address may say.
        known = Organisation.objects.filter(district__in=missing).values("district")
        districts |= dict.fromkeys(known.values_list("district", flat=True), 0)
        districts |= _counts(
            among("districts").filter(carrier__district__in=missing),
            "carrier__district",
        )
    equipment = dict(
        RequiredEquipment.objects.filter(product_id__in=matches.values("pk"))
        .values_list("equipment_type_id")
        .annotate(n=Count("*"))
    )
    ratings = among("min_rating").aggregate(
        **{
            f"r{i}": Count("rating", filter=Q(rating__gte=step))
            for i, step in enumerate(RATING_STEPS)
        }
    )

    return {
        "kind": [
            FacetValue(value, label, kinds.get(value, 0), value in query.kinds)
            for value, label in Product.Kind.choices
            if value in kinds or value in query.kinds
        ],
        "subject_area": _by_count(
            FacetValue(
                str(area.pk),
                area.name,
                areas.get(area.pk, 0),
                area.pk in query.subject_areas,
            )
            for area in SubjectArea.objects.filter(
                pk__in=[*areas, *query.subject_areas]
            )
        ),
        "level": [
            FacetValue(
                level.code,
                level.name,
                levels.get(level.code, 0),
                level.code in query.levels,
            )
            for level in EducationLevel.objects.filter(
                code__in=[*levels, *query.levels]
            )
        ],
        "region": _by_count(
            FacetValue(
                code, Region(code).label, regions.get(code, 0), code in query.regions
            )
            for code in {*regions, *query.regions}
        ),
        "district": [
            FacetValue(name, name, count, name in query.districts)
            for name, count in sorted(
                districts.items(), key=lambda item: (-item[1], item[0])
            )
        ],
        "equipment": _by_count(
            FacetValue(
                str(item.pk),
                item.name,
                equipment.get(item.pk, 0),
                item.pk in query.equipment,
            )
            for item in EquipmentType.objects.filter(
                pk__in=[*equipment, *query.equipment]
            )
        ),
        "rating": [
            FacetValue(
                str(step),
                str(step),
                ratings[f"r{i}"],
                query.min_rating == step,
            )
            for i, step in enumerate(RATING_STEPS)
            if ratings[f"r{i}"] or query.min_rating == step
        ],
    }


def _by_count(values) -> list[FacetValue]:
    """The most frequent values first, as long lists show only the first."""
    return sorted(values, key=lambda facet: (-facet.count, facet.label))


def _counts(products: QuerySet, field: str) -> dict:
    return dict(products.order_by().values_list(field).annotate(n=Count("*")))
