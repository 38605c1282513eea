"""The sandbox server's settings: one typed object, read once at start (env prefix INSTALLO_)."""

from __future__ import annotations

import json
import secrets
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DB_POOL_SIZE", "IN_MEMORY_DB", "LogLevel", "Settings", "WebhookMode"]

IN_MEMORY_DB = "sqlite://"
DEFAULT_DB_POOL_SIZE = 20  # PostgreSQL connections kept per process (--db-pool-size)

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
    secrets_key: str | None = Field(
        default=None,
        description="seals webhook secrets and stored answers at rest; default: a key file "
        "beside a SQLite database, a key for this run otherwise (shared by --workers)",
    )
    default_workflow: str = "standard"
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    idempotency_purge_seconds: int = Field(
        default=600,
        ge=0,
        description="how often expired idempotency keys are deleted (0: never on a schedule; "
        "an expired key is still replaced when it is reused)",
    )
    checkout_ttl_hours: int = Field(default=24, ge=1)
    max_body: int = Field(
        default=1024 * 1024, ge=1024, description="largest request body in bytes (413 above)"
    )
    rate_limit: int = Field(
        default=0,
        ge=0,
        description="requests per second per merchant (per client address without a valid "
        "key); 0 is off",
    )
    chaos_rate: float = Field(
        default=0.0, ge=0.0, le=1.0, description="share of /v1 requests answered 503 at random"
    )
    webhook_mode: WebhookMode = Field(
        default="normal", description="duplicate or reorder deliveries to test receivers"
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="let webhooks reach private and loopback addresses (loopback is allowed "
        "anyway while the sandbox listens on loopback)",
    )
    webhook_worker: bool = Field(default=True, description="deliver webhooks in the background")
    workers: int = Field(
        default=1, ge=1, le=64, description="sandbox processes serving one PostgreSQL database"
    )
    db_pool_size: int = Field(
        default=DEFAULT_DB_POOL_SIZE,
        ge=1,
        le=500,
        description="PostgreSQL connections each sandbox process keeps open (as many again "
        "are opened in a burst and closed after use); SQLite files open one per request",
    )
    upgrade_on_start: bool = Field(
        default=True, description="upgrade an older database's schema at start (False: refuse)"
    )
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/]+(:[0-9]+)?(/[^\s]*)?$",
        description="base URL of the hosted application page links (checkout next_action, QR "
        "codes, SMS); default: the URL the API was called on",
    )
    card_key: str = Field(
        default_factory=lambda: secrets.token_hex(32),
        min_length=16,
        repr=False,
        description="key virtual card numbers and CVCs are derived and digested with (default: "
        "random per start; set it to keep a file database's unused cards chargeable)",
    )

    @model_validator(mode="after")
    def _workers_fit(self) -> Settings:
        if self.workers > 1 and self.db.startswith("sqlite"):
            raise ValueError(
                f"--workers {self.workers} needs PostgreSQL (--db postgresql+psycopg://...): "
                "SQLite allows one writer, so the embedded database runs in one process"
            )
        if self.workers > 1 and self.rate_limit % self.workers:
            raise ValueError(
                f"--rate-limit {self.rate_limit} does not share evenly over {self.workers} "
                f"workers (each process allows rate-limit / workers); use a multiple of "
                f"{self.workers}"
            )
        return self

    @property
    def rate_limit_per_process(self) -> int:
        """This process's share of the rate limit: the processes' shares add up to it."""
        return self.rate_limit // self.workers

    def as_environment(self) -> dict[str, str]:
        """These settings as INSTALLO_* variables (how `--workers` processes receive them);
        a setting left unset (None) is left out."""
        values = self.model_dump(exclude_none=True)
        return {
            f"INSTALLO_{name.upper()}": value if isinstance(value, str) else json.dumps(value)
            for name, value in values.items()
        }
