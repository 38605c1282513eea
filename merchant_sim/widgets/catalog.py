"""The product catalog: a table of products; choosing one asks to add it to the cart."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message
from textual.widgets import DataTable

from merchant_sim.cart import Product
from merchant_sim.money import format_money


class CatalogTable(DataTable[str]):
    """Products with prices in the store currency."""

    class ProductChosen(Message):
        """The shopper picked a product to add."""

        def __init__(self, product: Product) -> None:
            super().__init__()
            self.product = product

    def __init__(self, products: Sequence[Product], currency: str, **kwargs: str) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.products = list(products)
        self.currency = currency

    def on_mount(self) -> None:
        """Fill the table."""
        self.add_columns("Product", "Price")
        for product in self.products:
            self.add_row(product.name, format_money(product.price, self.currency), key=product.sku)

    @property
    def highlighted_product(self) -> Product | None:
        """The product under the cursor."""
        if not self.products or self.cursor_row < 0:
            return None
        return self.products[min(self.cursor_row, len(self.products) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row adds that product."""
        event.stop()
        product = self.highlighted_product
        if product is not None:
            self.post_message(self.ProductChosen(product))
