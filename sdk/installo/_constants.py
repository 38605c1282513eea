"""Defaults shared by the sync and async clients."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "http://127.0.0.1:8787"
API_KEY_ENV = "INSTALLO_API_KEY"
ADMIN_KEY_ENV = "INSTALLO_ADMIN_KEY"
BASE_URL_ENV = "INSTALLO_BASE_URL"

DEFAULT_TIMEOUT = httpx.Timeout(timeout=60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server asking for a longer pause than this is not honoured; we back off normally instead.
MAX_RETRY_AFTER = 60.0
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REQUEST_ID_HEADER = "Request-Id"
SIGNATURE_HEADER = "Installo-Signature"
DEFAULT_WEBHOOK_TOLERANCE = 300

LOGGER_NAME = "installo"
