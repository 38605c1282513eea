"""The public surface: `installo.__all__` is exactly the public names, and each resolves."""

from __future__ import annotations

import installo
import installo.types

from tests.public_names import public_names

EXPECTED = {
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncInstallo",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Checkout",
    "ConflictError",
    "Customer",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "Event",
    "IdempotencyError",
    "Installo",
    "InstalloError",
    "InternalServerError",
    "Loan",
    "Merchant",
    "NotFoundError",
    "Offer",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "SignatureVerificationError",
    "SyncPage",
    "UnprocessableEntityError",
    "__version__",
    "format_money",
    "types",
    "webhooks",
}


def test_all_is_pinned() -> None:
    assert set(installo.__all__) == EXPECTED
    assert len(installo.__all__) == len(EXPECTED)


def test_every_exported_name_resolves() -> None:
    for name in installo.__all__:
        assert getattr(installo, name) is not None, name
    for name in installo.types.__all__:
        assert getattr(installo.types, name) is not None, name


def test_no_public_name_is_left_out_of_all() -> None:
    public = public_names(installo) - {"annotations"}
    submodules = {"pagination", "resources", "testing", "checkout_flow", "cli"}
    assert public - set(installo.__all__) <= submodules
