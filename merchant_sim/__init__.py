"""Installo merchant simulator: a Textual storefront and a headless scenario runner."""
