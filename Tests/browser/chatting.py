"""A chat user over plain HTTP, for the API and restart tests."""
import json
import re
import urllib.request

from contributors import Contributor


class ChatClient(Contributor):
    def new_chat(self):
        self._send("/chats")
        status, _, location = self._send("/chats", {})
        assert status == 303, status
        return location

    def send(self, chat, text, parent=""):
        self._send(chat)
        status, body, location = self._send(chat + "/messages", {"text": text, "parent": parent})
        assert status == 303 and "?at=" in location, (status, body[:300])
        return location.split("?at=")[1][:36]

    def events(self, chat, reply, stop_after_first_token=False):
        """The stream's events as (id, name, data) until done or error (or the first token)."""
        request = urllib.request.Request(self.base + f"{chat}/messages/{reply}/events")
        events = []
        with self.opener.open(request, timeout=120) as response:
            block = {}
            for raw in response:
                line = raw.decode().rstrip("\n")
                if not line:
                    if "event" in block:
                        events.append((int(block["id"]), block["event"], json.loads(block["data"])))
                        if block["event"] in ("done", "error"):
                            return events
                        if stop_after_first_token and block["event"] == "token":
                            return events
                    block = {}
                    continue
                key, _, value = line.partition(": ")
                block[key] = value
        return events

    def page(self, path):
        return self._send(path)[1]


def reply_ids(page):
    return re.findall(r'/messages/([0-9a-f-]{36})/retry', page)
