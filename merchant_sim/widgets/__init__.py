"""The storefront's widgets, one module each."""
