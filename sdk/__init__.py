"""Installo merchant SDK."""
