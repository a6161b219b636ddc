"""A product's history: one record each time its passport is saved, however
many parts (fields, areas, levels, equipment) the saving writes."""

from collections.abc import Iterator
from contextlib import contextmanager

from products.models import PASSPORT_HISTORY, Product


def hold(product: Product) -> str:
    """Stop recording the steps of saving ``product``; return the type of
    the record that ``record_held`` will make."""
    history_type = "+" if product._state.adding else "~"
    product.skip_history_when_saving = True
    return history_type


def release(product: Product) -> None:
    """Record the steps of saving ``product`` again, recording nothing."""
    if hasattr(product, "skip_history_when_saving"):
        del product.skip_history_when_saving


def record_held(product: Product, history_type: str) -> None:
    """Make the one record of what was saved since ``hold``."""
    release(product)
    PASSPORT_HISTORY.create_historical_record(product, history_type)


@contextmanager
def one_record(product: Product) -> Iterator[None]:
    """Record ``product`` once, after everything inside has been saved.

    Saving a product and then setting its areas and levels would otherwise
    leave a record for each step, the first of them with the old areas. The
    record is made only if the block succeeds; nested blocks leave it to the
    outermost one.
    """
    if hasattr(product, "skip_history_when_saving"):
        yield
        return
    history_type = hold(product)
    try:
        yield
    except BaseException:
        release(product)
        raise
    record_held(product, history_type)
