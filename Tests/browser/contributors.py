"""Contributors driven over plain HTTP (no browser), to bring trees into the states a browser test needs."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

from inbox import sign_in_link


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Contributor:
    def __init__(self, base_url, name):
        self.base = base_url
        self.name = name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.csrf = None
        self.count = 0

    def _send(self, path, fields=None):
        data = None
        if fields is not None:
            fields = dict(fields, csrf=self.csrf or "")
            data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body, location = response.status, response.read().decode(), response.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, body, location = error.code, error.read().decode(), error.headers.get("Location")
        match = re.search(r'name="csrf" value="([^"]+)"', body)
        if match:
            self.csrf = match.group(1)
        return status, body, location

    def sign_in(self):
        address = f"{re.sub('[^a-z0-9]', '', self.name.lower())}-{uuid.uuid4().hex[:8]}@example.org"
        self._send("/signin")
        self._send("/signin", {"email": address})
        link = sign_in_link(address)
        token = link.split("token=")[1]
        self._send("/signin/verify?token=" + token)
        self._send("/signin/verify", {"token": token})
        self._send("/welcome")
        self._send("/welcome", {"display_name": self.name, "accept_terms": "1"})
        return self

    def take(self, kind=""):
        self._send("/tasks")
        status, _, location = self._send("/tasks/new", {"kind": kind})
        if status != 303 or not location or "notice" in location:
            return None
        _, body, _ = self._send(location)
        kind = re.search(r'data-kind="([^"]+)"', body).group(1)
        task = re.search(r'data-task="([^"]+)"', body).group(1)
        return kind, task, body

    def complete(self, kind, task, body):
        if kind in ("initial_prompt", "prompter_reply", "assistant_reply"):
            self.count += 1
            fields = {"text": f"{self.name} writes message {self.count}: {uuid.uuid4().hex[:8]}"}
        elif kind.startswith("rank_"):
            ids = re.findall(r'name="rank_([0-9a-f-]+)"', body)
            fields = {f"rank_{i}": str(n + 1) for n, i in enumerate(ids)}
        else:
            fields = {"label_spam": "0", "label_quality": "0.75"}
        status, _, _ = self._send(f"/tasks/{task}", fields)
        assert status == 303, f"submitting {kind} answered {status}"


# Kinds that finish the trees already growing, reviews first: a random task is often a new prompt, which
# starts one more tree and spreads the crowd's work thinner, so a tree could take hundreds of tasks to finish.
GROWING_KINDS = ("label_initial_prompt", "label_assistant_reply", "label_prompter_reply", "assistant_reply",
                 "prompter_reply")


def work_until(crowd, wanted_kind, rounds=80):
    """Contributors grow the existing trees until one of them is offered `wanted_kind`; that task is left open."""
    for _ in range(rounds):
        for person in crowd:
            found = next(filter(None, (person.take(kind) for kind in GROWING_KINDS)), None) or person.take()
            if found is None:
                continue
            kind, task, body = found
            person.complete(kind, task, body)
        probe = crowd[0].take(wanted_kind)
        if probe is not None:
            _, task, _ = probe
            crowd[0]._send(f"/tasks/{task}/skip", {"reason": ""})
            return True
    return False
