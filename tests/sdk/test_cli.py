"""The `installo` command's own behaviour: the install hint without the tools extra, the two
signatures on each forwarded event, a missing key, and the list of triggers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import httpx
import pytest
from httpx_sse import ServerSentEvent
from installo.cli import INSTALL_HINT, main
from installo.cli.listen import forward_event, new_secret
from installo.cli.trigger import ALIASES, TRIGGERS
from installo.webhooks import construct_event
from standardwebhooks import Webhook


def test_without_the_tools_extra_the_command_says_how_to_install_it() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["rich"] = None  # the tools extra is not installed
        from installo.cli import main
        sys.exit(main(["listen", "--forward-to", "http://127.0.0.1:1/"]))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == INSTALL_HINT
    assert "pip install 'installo[tools]'" in INSTALL_HINT


def test_a_forwarded_event_carries_both_signatures_of_the_listener_secret() -> None:
    secret = new_secret()
    event = {
        "id": "evt_1", "object": "event", "type": "customer.created", "livemode": False,
        "created": "2026-01-01T00:00:00Z", "data": {"object": {"id": "cus_1"}}, "request_id": None,
    }  # fmt: skip
    received: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(app)) as local:
        sse = ServerSentEvent(event="customer.created", data=json.dumps(event), id="evt_1")
        outcome = forward_event(local, "http://127.0.0.1:9/hooks", sse, secret)
    assert "204" in outcome
    [request] = received
    headers = dict(request.headers)
    assert construct_event(request.content, headers["installo-signature"], secret).id == "evt_1"
    assert Webhook(secret).verify(request.content, headers)["id"] == "evt_1"
    assert headers["webhook-id"] == "evt_1"


def test_an_unreachable_local_app_is_reported_not_raised() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with httpx.Client(transport=httpx.MockTransport(refuse)) as local:
        sse = ServerSentEvent(event="x", data="{}", id="evt_2")
        assert "ConnectError" in forward_event(local, "http://127.0.0.1:9/", sse, new_secret())


def test_a_missing_key_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("INSTALLO_API_KEY", raising=False)
    assert main(["logs", "tail"]) == 2
    assert "no API key" in capsys.readouterr().out


def test_every_trigger_and_alias_is_offered(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["trigger", "--help"])
    shown = capsys.readouterr().out
    for name in [*TRIGGERS, *ALIASES]:
        assert name in shown
    assert ALIASES == {"review.opened": "checkout.in_review"}
