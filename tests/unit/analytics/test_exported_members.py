"""The analytics package: its public names exist, and it imports no framework."""

import subprocess
import sys

import mock_server.analytics as analytics


def test_every_exported_name_exists() -> None:
    assert sorted(analytics.__all__) == sorted(set(analytics.__all__))
    assert [n for n in analytics.__all__ if not hasattr(analytics, n)] == []


def test_importing_the_analytics_loads_no_framework() -> None:
    code = (
        "import sys, mock_server.analytics\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'fastapi', 'starlette', 'sqlalchemy', 'httpx', 'pydantic'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
