"""The development mail catcher (maildump), read over its HTTP API."""
import json
import os
import re
import time
import urllib.request

BASE = os.environ.get("OASST_MAILDUMP_HTTP", "http://127.0.0.1:1080")


def _get(path):
    with urllib.request.urlopen(BASE + path, timeout=5) as response:
        return response.read().decode("utf-8")


def sign_in_link(address, timeout=10.0):
    """The sign-in link of the newest mail to `address`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        messages = json.loads(_get("/messages/"))["messages"]
        mine = [m for m in messages if any(address in r for r in (m.get("recipients") or {}).get("to", []))]
        if mine:
            newest = max(mine, key=lambda m: m["id"])
            text = _get(f"/messages/{newest['id']}.plain")
            match = re.search(r"https?://\S+/signin/verify\?token=[A-Za-z0-9_-]+", text)
            assert match, f"no sign-in link in: {text!r}"
            return match.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} arrived")
