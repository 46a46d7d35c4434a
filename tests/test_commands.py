"""The README's lab command starts JupyterLab on notebooks/, on 127.0.0.1, behind a token."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from helpers import ROOT, free_port

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=(\w+)")


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_listening(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def lab(tmp_path):
    """`python3 tasks.py lab` with the interpreter running these tests, as it is; yields (port, token)."""
    env = dict(
        os.environ,
        AUTOGRAD_LESSONS_PYTHON=sys.executable,  # run as it is: never install into it
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "tasks.py", "lab", "--no-browser", f"--port={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen, deadline = [], time.monotonic() + 120
    try:
        for line in server.stdout:
            seen.append(line)
            found = URL.search(line)
            if found:
                # Keep reading its log so that the server never blocks on a full pipe.
                threading.Thread(target=server.stdout.read, daemon=True).start()
                wait_until_listening(int(found.group(1)))
                yield int(found.group(1)), found.group(2)
                break
            if time.monotonic() > deadline:
                break
        else:
            pytest.fail("JupyterLab stopped before printing its URL:\n" + "".join(seen[-20:]))
        if not found:
            pytest.fail("JupyterLab printed no 127.0.0.1 URL with a token:\n" + "".join(seen[-20:]))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


def test_lab_serves_the_notebooks_on_localhost_with_a_token(lab):
    port, token = lab
    base = f"http://127.0.0.1:{port}"
    assert status(f"{base}/api/status") == 403, "the server must refuse requests without the token"
    assert status(f"{base}/api/status?token={token}") == 200
    with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=10) as response:
        listing = {item["name"] for item in json.load(response)["content"]}
    assert {"pt", "en", "glossary.md"} <= listing, "JupyterLab must open on notebooks/"
    assert status(f"{base}/lab/tree/pt/01_autograd.ipynb?token={token}") == 200
