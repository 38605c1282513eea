"""The sandbox server's settings: one typed object, read once at start (env prefix INSTALLO_)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["IN_MEMORY_DB", "LogLevel", "Settings", "WebhookMode"]

IN_MEMORY_DB = "sqlite://"

LogLevel = Literal["critical", "error", "warning", "info", "debug"]
WebhookMode = Literal["normal", "duplicate", "reorder"]


class Settings(BaseSettings):
    """Where the sandbox listens, what it stores in, and the keys it seeds."""

    model_config = SettingsConfigDict(env_prefix="INSTALLO_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535)
    db: str = Field(default=IN_MEMORY_DB, description="any SQLAlchemy URL; default in memory")
    seed: int = Field(default=0, description="sandbox seed for the persona generator")
    log_level: LogLevel = "info"
    demo_secret_key: str = Field(default="sk_test_demo", min_length=8)
    admin_key: str = Field(default="admin_test_demo", min_length=8)
    default_workflow: str = "standard"
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    checkout_ttl_hours: int = Field(default=24, ge=1)
    rate_limit: int = Field(default=0, ge=0, description="requests per second per key; 0 is off")
    chaos_rate: float = Field(
        default=0.0, ge=0.0, le=1.0, description="share of /v1 requests answered 503 at random"
    )
    webhook_mode: WebhookMode = Field(
        default="normal", description="duplicate or reorder deliveries to test receivers"
    )
    webhook_worker: bool = Field(default=True, description="deliver webhooks in the background")
    upgrade_on_start: bool = Field(
        default=True, description="upgrade an older database's schema at start (False: refuse)"
    )
