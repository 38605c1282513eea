"""The SDK imports only httpx, pydantic and the standard library."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ["mock_server", "merchant_sim", "fastapi", "starlette", "textual", "respx", "sqlalchemy"]


def test_sdk_imports_and_works_with_server_and_test_libraries_blocked() -> None:
    script = textwrap.dedent(
        f"""
        import sys
        for name in {BLOCKED!r}:
            sys.modules[name] = None  # any import of it now raises ImportError
        import httpx
        import installo
        import installo.webhooks
        import installo.checkout_flow
        import installo.testing
        from installo import Installo

        def handler(request):
            return httpx.Response(200, json={{"id": "mer_1", "object": "merchant",
                                              "status": "active", "legal_name": "Acme"}})

        with Installo(api_key="sk_test_x", transport=httpx.MockTransport(handler)) as client:
            assert client.merchants.me().legal_name == "Acme"
        try:
            installo.testing.mock_api()
        except ImportError as exc:
            assert "respx" in str(exc), exc
        else:
            raise AssertionError("mock_api needs respx")
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_importing_the_package_loads_neither_httpx_nor_pydantic_until_a_name_is_used() -> None:
    script = textwrap.dedent(
        """
        import sys
        import installo
        assert "httpx" not in sys.modules and "pydantic" not in sys.modules
        from installo import NotFoundError, format_money
        assert NotFoundError.__module__ == "installo._exceptions"
        assert format_money(129900, "USD") == "$1,299.00"
        assert installo.Installo.__name__ == "Installo" and "httpx" in sys.modules
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_the_mock_checks_bodies_with_the_sandbox_models_without_its_server_libraries() -> None:
    server_libraries = ["fastapi", "starlette", "sqlalchemy", "alembic", "faker", "yaml", "uvicorn"]
    script = textwrap.dedent(
        f"""
        import sys
        for name in {server_libraries!r}:
            sys.modules[name] = None  # any import of it now raises ImportError
        import httpx
        from installo.testing import mock_api

        with mock_api(base_url="http://mock.test"):
            answer = httpx.post("http://mock.test/v1/customers", json={{"email": "a@b.co"}},
                                headers={{"Authorization": "Bearer sk_test_x"}})
        error = answer.json()["error"]
        assert (answer.status_code, error["code"], error["param"]) == (
            422, "parameter_missing", "name"), error
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
