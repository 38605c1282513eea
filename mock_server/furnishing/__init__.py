"""Credit furnishing: the Metro 2 format and the mapping from a loan to its monthly report."""

from mock_server.furnishing.accounts import (
    DELETE,
    Consumer,
    Period,
    account_number,
    account_status,
    base_segment,
    month_key,
    payment_history_profile,
    whole_dollars,
)
from mock_server.furnishing.metro2 import (
    BASE_FIELDS,
    HEADER_FIELDS,
    RECORD_LENGTH,
    TRAILER_FIELDS,
    Metro2Error,
    ParsedFile,
    read_file,
    write_file,
)

__all__ = [
    "BASE_FIELDS",
    "DELETE",
    "HEADER_FIELDS",
    "RECORD_LENGTH",
    "TRAILER_FIELDS",
    "Consumer",
    "Metro2Error",
    "ParsedFile",
    "Period",
    "account_number",
    "account_status",
    "base_segment",
    "month_key",
    "payment_history_profile",
    "read_file",
    "whole_dollars",
    "write_file",
]
