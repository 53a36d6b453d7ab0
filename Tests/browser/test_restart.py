"""Kill the server in the middle of a reply, start it again: the reply is marked interrupted, and retry works."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest

from chatting import ChatClient


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env, log):
    process = subprocess.Popen([os.environ["OASST_BIN"], "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{env['OASST_PORT']}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start")


@pytest.fixture
def own_server():
    database_root = os.environ["OASST_DATABASE_URL"].rsplit("/", 1)[0]
    name = f"oasst_restart_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", database_root + "/oasst", "-qtAc", f'CREATE DATABASE "{name}"'], check=True)
    port = free_port()
    env = dict(os.environ, OASST_DATABASE_URL=f"{database_root}/{name}", OASST_PORT=str(port),
               OASST_PUBLIC_URL=f"http://127.0.0.1:{port}", OASST_CHAT_MAX_TOKENS="1000")
    subprocess.run([os.environ["OASST_BIN"], "migrate"], env=env, check=True, capture_output=True)
    log = open(os.path.join(os.environ.get("OASST_SCREENSHOTS", "."), "..", "run", "restart-server.log"), "ab")
    state = {"env": env, "log": log, "process": start(env, log)}
    yield state
    state["process"].kill()
    state["process"].wait()
    subprocess.run(["psql", database_root + "/oasst", "-qtAc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def test_restart_marks_reply_interrupted_and_retry_works(own_server):
    base = f"http://127.0.0.1:{own_server['env']['OASST_PORT']}"
    user = ChatClient(base, "Restarter").sign_in()
    chat = user.new_chat()
    reply = user.send(chat, "Write a very long story about a ship and its crew.")
    first = user.events(chat, reply, stop_after_first_token=True)
    assert first[-1][1] == "token"

    own_server["process"].send_signal(signal.SIGKILL)
    own_server["process"].wait()
    own_server["process"] = start(own_server["env"], own_server["log"])

    events = user.events(chat, reply)
    assert events[-1][1] == "error"
    assert events[-1][2]["state"] == "interrupted"
    page = user.page(chat)
    assert "interrupted" in page
    status, _, location = user._send(f"{chat}/messages/{reply}/retry", {"drafts": "1"})
    assert status == 303
    retried = location.split("?at=")[1][:36]
    assert user.events(chat, retried)[-1][1] == "done"
    assert "2/2" in user.page(chat)
