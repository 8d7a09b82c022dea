"""`assistant serve` / `python app.py`: option checks that fail fast, before any model loads."""
from __future__ import annotations

import socket

import pytest

from assistant.cli import main


def test_bad_port_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "99999"])
    assert exit_info.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def test_busy_port_is_one_line_and_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot serve on 127.0.0.1:") and "\n" not in err


def test_app_py_takes_the_same_options(capsys):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("app", Path(__file__).resolve().parents[2] / "app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    with pytest.raises(SystemExit):
        app.main(["--help"])
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--index", "--data-root", "--polnear"):
        assert option in out


@pytest.mark.parametrize("option, value, message", [("--auth", "nopassword", "expected USER:PASS"),
                                                    ("--max-upload-mb", "0", "not a positive number of MB")])
def test_auth_and_upload_limit_are_checked(option, value, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", option, value])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err
