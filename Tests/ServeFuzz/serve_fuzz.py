#!/usr/bin/env python3
"""A bounded fuzzing campaign against `simrun serve`'s HTTP API (docs/fuzzing.md, "The serve API campaign").

Starts `simrun serve` on a copy of the example inputs in a scratch working folder, reads the session token it
prints, then for a fixed time sends random and mutated requests to every endpoint: malformed JSON, wrong types,
huge and non-finite numbers, negative and huge ids, long and control-character strings, path traversal in save
names, scenario choices, sweep paths and URLs, a missing or wrong token, a foreign Host, wrong methods, oversized
bodies and broken HTTP. After each request it checks that

  - the answer is not a 5xx (and arrived: no hang, no dropped connection but for broken HTTP);
  - every error answer of the API is JSON {"error": "<a sentence>", ...};
  - no answer holds the canary written in files outside the working folder, nor a row of the survey in an error;
  - the server is still up and answers GET /api/state with the page's state;
  - nothing was written outside the working folder (its parent, the copied inputs, the server's TMPDIR), and no
    staging folder was left behind in it; in the working folder itself only saved *.yaml files appear.

The generator is Python's `random.Random(seed)`: the same seed sends the same requests (the server's answers can
still depend on timing: background bands and sweeps). A failure prints the request, the answer and the server's
standard error, and is appended to --failures as a JSON line that --replay sends again.

Exit status: 0 no failure, 1 failures found, 2 the server could not be started.
Run from the package root:  python3 Tests/ServeFuzz/serve_fuzz.py --simrun "$(swift build --show-bin-path)/simrun" --seconds 45
"""
import argparse
import base64
import http.client
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STARTED = ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/child-grant-targeted.yaml"]
MAXIMUM_BODY = 16 * 1024  # WorkshopServer.maximumBody

# ---------------------------------------------------------------------------------------------------------------
# Values a request is built from


TRAVERSAL = [
    "../outside/secret", "../outside/secret.yaml", "../../outside/secret", "/etc/passwd", "..", ".", "../", "..\\..\\x",
    "%2e%2e%2foutside%2fsecret", "..%2f..%2foutside", "inputs/../../outside/secret.yaml", "~/secret", "link", "link.yaml",
    "inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/universal-child-grant", "universal-child-grant/../x",
    "/dev/zero", "/proc/self/environ", "\\\\server\\share", "file:///etc/passwd", "C:\\Windows\\win.ini", ".hidden",
    "inputs", "inputs/scenarios", "con", "nul", "a/b", "x.yaml.yaml", "x\u0000.yaml", "../work/x", "./x",
]
STRINGS = [
    "", " ", "\t", "\n", "\r\n", "a", "A" * 41, "A" * 61, "x" * 300, "é" * 50, "\u202eevil", "\u0301\u0301", "😀" * 10,
    "\u0000", "\u0007bell", "\x1b[31mred", "line\nbreak", "%s%n%x", "{{7*7}}", "<script>alert(1)</script>",
    "' OR 1=1 --", "null", "true", "NaN", "1e999", "-0", "0x10", "１２", "amount_per_child", "linearized", "bootstrap",
    "!!python/object/apply:os.system ['true']", "&anchor *alias", "key: value", "- item", "# comment",
] + TRAVERSAL
NUMBERS = [
    0, -0.0, 1, -1, 0.5, 2, 17, 30, 40, 100, 130, 131, 1000, 1e6, 1e9, 1e12, 1e15, 1e300, 1e308, -1e308, 5e-324, 1e-300,
    2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63, 2 ** 64, -(2 ** 63) - 1, 10 ** 30, 10 ** 400,
    float("nan"), float("inf"), float("-inf"), 0.1 + 0.2, 1899, 1900, 2025, 2026, 2200, 2201, 3, 401, 10 ** 6,
]
# Methods sent through http.client. CONNECT goes raw (make_raw_request): its answer has no length (a tunnel follows),
# so a client reading it to the end would wait for ever; "get" and an over-long name are refused by the HTTP parser.
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "get", "X" * 40]
# The methods HTTP's parser accepts; a request with another is broken HTTP, answered by the framework's bare 400.
PARSED_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND"}
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/json; charset=utf-16", "", "*/*", "application/yaml"]


class Generator:
    """Random requests, built from the page's current state (its option ids, parameters and scenario choices)."""

    def __init__(self, rng):
        self.rng = rng
        self.ids = [1, 2]
        self.parameters = {}  # option id -> [(path, value, minimum, maximum, whole)]
        self.choices = ["universal-child-grant", "child-grant-targeted", "social-pension"]

    def learn(self, state=None, scenarios=None):
        if state:
            self.ids = [o["id"] for o in state.get("options", [])] or self.ids
            for o in state.get("options", []):
                self.parameters[o["id"]] = [(p["path"], p.get("value"), p.get("minimum"), p.get("maximum"), p.get("wholeNumber"))
                                            for p in o.get("parameters", [])]
        if scenarios:
            self.choices = [s["id"] for s in scenarios.get("scenarios", [])] or self.choices

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, p):
        return self.rng.random() < p

    def any_value(self, depth=0):
        """A value of any JSON type (or Python's NaN and infinities, which json.dumps writes as NaN/Infinity)."""
        kind = self.rng.randrange(7 if depth < 3 else 4)
        if kind == 0:
            return self.pick(NUMBERS)
        if kind == 1:
            return self.string()
        if kind == 2:
            return self.pick([None, True, False])
        if kind == 3:
            return self.rng.uniform(-1e9, 1e9)
        if kind == 4:
            return [self.any_value(depth + 1) for _ in range(self.rng.randrange(4))]
        if kind == 5:
            return {self.string(): self.any_value(depth + 1) for _ in range(self.rng.randrange(4))}
        return self.rng.randrange(-5, 50)

    def string(self):
        if self.chance(0.15):
            return "".join(chr(self.rng.randrange(1, 0x3000)) for _ in range(self.rng.randrange(1, 30)))
        if self.chance(0.05):
            return self.pick(STRINGS) * self.rng.randrange(2, 200)
        return self.pick(STRINGS)

    def option_id(self):
        """A path segment naming an option: usually one on the page, else something hostile."""
        if self.chance(0.7) and self.ids:
            return str(self.pick(self.ids))
        return self.pick(["0", "-1", "999999999", "9999999999", str(2 ** 63), str(2 ** 64), "abc", "1.5", "1e3", " 1", "+1",
                          "0x1", "%31", "１", "..", "%2e%2e", "1%2f..%2fstate", "1;2", "", "%00", "1 ", "0001", "-0"])

    def parameter(self, option):
        known = self.parameters.get(int(option)) if option.isdigit() else None
        if known and self.chance(0.85):
            path, value, low, high, whole = self.pick(known)
            r = self.rng.random()
            if r < 0.35 and isinstance(value, (int, float)):
                x = value * self.rng.choice([0.5, 0.9, 1, 1.1, 2]) if value else self.rng.uniform(0, 10)
            elif r < 0.55 and low is not None:
                x = self.pick([low, low - 1, low - 1e-9, (low + (high if high is not None else low + 10)) / 2])
            elif r < 0.7 and high is not None:
                x = self.pick([high, high + 1, high + 1e-9, high * 10])
            else:
                x = self.pick(NUMBERS)
            if whole and isinstance(x, float) and x == x and abs(x) < 1e15 and self.chance(0.5):
                x = round(x)
            return path, x
        return self.pick(["amount_per_child", "max_age", "a.b", "brackets[99].rate", "brackets[-1].rate", "x" * 200,
                          "personal_income_tax.brackets[1].threshold", "../../outside/secret", "title", "scenario",
                          "data", "baseline", ""] + STRINGS), self.pick(NUMBERS)

    def vary(self, option):
        dims = []
        for _ in range(self.pick([0, 1, 1, 1, 2, 2, 3])):
            path, value = self.parameter(option)
            if isinstance(value, (int, float)) and value == value and abs(value) < 1e12 and self.chance(0.7):
                start = value / 2
                stop = value * 2 if value else 10
                step = self.pick([(stop - start) / 5 if stop != start else 1, (stop - start) / 50, 0, -1, 1e-9, 1e9, 5e-324, 1e-300])
            elif self.chance(0.2):
                start, stop, step = -1.7e308, 1.7e308, self.pick([1e-300, 1, 1e308])  # a span beyond the largest double
            else:
                start, stop, step = self.pick(NUMBERS), self.pick(NUMBERS), self.pick(NUMBERS)
            dims.append({"path": path, "from": start, "to": stop, "step": step})
        return dims

    def year(self):
        return self.pick([None, 2025, 2026, 2024, 2030, 1899, 1900, 2200, 2201, -1, 0, 2 ** 40, "2025", 2025.5, True])

    def body_for(self, template, option):
        """The body a template asks for: a dict, valid-looking most of the time."""
        if template == "parameter":
            path, value = self.parameter(option)
            return {"path": path, "value": value}
        if template == "add":
            return {"scenario": self.pick(self.choices) if self.chance(0.5) else self.string()}
        if template == "label":
            return {"label": self.string() if self.chance(0.7) else "Option " + str(self.rng.randrange(100))}
        if template == "save":
            name = self.pick(TRAVERSAL) if self.chance(0.5) else self.string()
            if self.chance(0.3):
                name = "fuzz-" + str(self.rng.randrange(10 ** 6))
            return {"name": name}
        if template == "year":
            return {"year": self.year()}
        if template == "intervals":
            return {"method": self.pick(["linearized", "linearized", "bootstrap", "", "LINEARIZED", "x" * 100])}
        if template == "bands":
            return {"replications": self.pick([2, 3, 5, 1, 0, -1, 201, 1000, 10 ** 6, 2 ** 63, 2.5, "5", None])}
        if template == "sweep":
            o = self.option_id()
            return {"option": int(o) if o.isdigit() and len(o) < 18 else self.pick([0, -1, 2 ** 62, "1", None]),
                    "vary": self.vary(o)}
        return None

    def mutate_body(self, body):
        """Type changes, missing and extra keys, or broken JSON bytes."""
        r = self.rng.random()
        if body is None:
            body = {}
        if isinstance(body, dict) and r < 0.25 and body:
            key = self.pick(list(body))
            body = dict(body)
            choice = self.rng.randrange(4)
            if choice == 0:
                del body[key]
            elif choice == 1:
                body[key] = self.any_value()
            elif choice == 2:
                body[self.string()] = self.any_value()
            else:
                body = self.pick([[body], body[key], None, "text", 1])
        text = json.dumps(body, allow_nan=True) if not isinstance(body, bytes) else body
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        r = self.rng.random()
        if r < 0.1 and data:
            data = data[: self.rng.randrange(len(data))]  # truncated
        elif r < 0.18 and data:
            i = self.rng.randrange(len(data))
            data = data[:i] + bytes([self.rng.randrange(256)]) + data[i + 1:]  # a byte changed
        elif r < 0.22:
            depth = self.pick([100, 1000, 5000, 8000])
            data = b"[" * depth + b"1" + b"]" * depth  # deep nesting (within the size limit)
        elif r < 0.25:
            depth = self.pick([100, 1000, 3000])
            data = b'{"a":' * depth + b"1" + b"}" * depth
        elif r < 0.28:
            data = b"\xef\xbb\xbf" + data  # a byte order mark
        elif r < 0.31:
            data = data + self.pick([b"garbage", b"\x00", b"}", b"\n{}", b" " * 100])
        elif r < 0.34:
            data = bytes(self.rng.randrange(256) for _ in range(self.rng.randrange(1, 200)))
        elif r < 0.37:
            data = self.pick([b'{"value": 1e999999}', b'{"path":"amount_per_child","value":1e400}',
                              b'{"path":"amount_per_child","value":-1e400}', b'{"replications": 1e400}',
                              b'{"path":"amount_per_child","value":NaN}', b'{"year": 99999999999999999999999}',
                              b'{"path":"amount_per_child","value":1,"value":2}', b'{"label":"\\ud800"}',
                              b'{"name":"\\u0000"}', b"null", b"[]", b'""', b"0", b"{}", b'{"option":1,"vary":null}'])
        elif r < 0.39:
            data = data + b" " * (MAXIMUM_BODY + self.rng.randrange(1, 4096))  # just over the limit
        elif r < 0.40:
            data = b"[" + b"1," * 200000 + b"1]"  # far over the limit
        return data


# ---------------------------------------------------------------------------------------------------------------
# The requests

ENDPOINTS = [
    # (method, path with {id}, body template, weight)
    ("GET", "/api/state", None, 2), ("GET", "/api/scenarios", None, 1),
    ("POST", "/api/options/{id}/parameter", "parameter", 12), ("POST", "/api/options", "add", 3),
    ("POST", "/api/options/{id}/duplicate", None, 2), ("DELETE", "/api/options/{id}", None, 2),
    ("POST", "/api/options/{id}/label", "label", 3), ("POST", "/api/options/{id}/save", "save", 4),
    ("GET", "/api/options/{id}/yaml", None, 2), ("POST", "/api/year", "year", 3),
    ("POST", "/api/intervals", "intervals", 1), ("GET", "/api/intervals", None, 1),
    ("POST", "/api/bands", "bands", 2), ("GET", "/api/bands", None, 1), ("DELETE", "/api/bands", None, 1),
    ("POST", "/api/sweep", "sweep", 4), ("GET", "/api/sweep", None, 1), ("GET", "/api/pack", None, 0.3),
    ("GET", "/", None, 0.3), ("GET", "/app.js", None, 0.2), ("GET", "/app.css", None, 0.2),
]
ODD_PATHS = [
    "/api/../../etc/passwd", "/api/options/1/../../state", "//api/state", "/api/state/", "/api/STATE", "/api/options/1/yaml/..",
    "/api/%2e%2e/%2e%2e/etc/passwd", "/api/options/..%2f..%2foutside%2fsecret.yaml/yaml", "/../outside/secret.yaml",
    "/inputs/scenarios/universal-child-grant.yaml", "/api/state?token=x", "/api/state#x", "/api", "/api/", "/api/options/1/",
    "/api/options/%00/yaml", "/api/options/1/save/../../x", "/" + "a" * 5000, "/api/options/" + "9" * 500 + "/yaml",
    "/favicon.ico", "/app.js/..", "/.git/config", "/api/sweep?option=1", "*", "/api/options/1/parameter%00",
]


class Request:
    def __init__(self, method, path, headers, body, expect=None, raw=None):
        self.method, self.path, self.headers, self.body, self.expect, self.raw = method, path, headers, body, expect, raw

    def describe(self, limit=600):
        body = self.raw if self.raw is not None else self.body
        shown = "none" if body is None else repr(body[:limit]) + (f"... ({len(body)} bytes)" if len(body) > limit else "")
        return f"{self.method} {self.path[:300]!r} headers={self.headers!r} body={shown}"

    def record(self):
        encode = lambda b: base64.b64encode(b).decode() if b is not None else None
        return {"method": self.method, "path": self.path, "headers": self.headers, "body": encode(self.body),
                "raw": encode(self.raw), "expect": self.expect}

    @staticmethod
    def from_record(r):
        decode = lambda s: base64.b64decode(s) if s is not None else None
        return Request(r["method"], r["path"], [tuple(h) for h in r["headers"]], decode(r["body"]), r.get("expect"), decode(r.get("raw")))


def make_request(g, token, port):
    """One random request: an endpoint with a generated body, its headers and body sometimes broken."""
    endpoints = [e for e in ENDPOINTS]
    weights = [e[3] for e in endpoints]
    method, template_path, template, _ = g.rng.choices(endpoints, weights)[0]
    option = g.option_id()
    path = template_path.replace("{id}", option)
    body = None
    if template is not None:
        body = g.body_for(template, option)
    data = json.dumps(body, allow_nan=True).encode() if body is not None else None
    if g.chance(0.35):
        data = g.mutate_body(body)
    expect = None
    headers = [("Host", f"127.0.0.1:{port}")]
    r = g.rng.random()
    if path.startswith("/api/"):
        if r < 0.06:
            expect = 401  # no token
        elif r < 0.12:
            expect = 401
            headers.append(("X-Simrun-Token", g.pick(["wrong", token[:-1], token + "0", token.upper(), token + "\t" + token, "", token[::-1],
                                                      "x" * 5000])))
        else:
            headers.append(("X-Simrun-Token", token))
    if g.chance(0.04):
        headers[0] = ("Host", g.pick(["evil.example", "127.0.0.1.evil.example", "localhost.evil", "[::2]", "", "127.0.0.256"]))
        expect = 403
    if data is not None or g.chance(0.1):
        headers.append(("Content-Type", g.pick(CONTENT_TYPES) if g.chance(0.2) else "application/json"))
    if g.chance(0.08):
        method = g.pick(METHODS)
        expect = expect if expect in (401, 403) else None
    if g.chance(0.05):
        path = g.pick(ODD_PATHS)
        expect = expect if expect in (401, 403) else None
    if g.chance(0.03):
        # A query string or fragment the router should ignore or refuse.
        path += g.pick(["?x=1", "?token=" + token, "?" + "a" * 3000, "?%zz", "#frag"])
    if expect == 401 and not path.startswith("/api/"):
        expect = None  # the page and its assets need no token
    # Spaces and characters outside ASCII percent-encoded (HTTP/1 sends bytes); '%' itself kept, so %2e%2e stays as typed.
    path = urllib.parse.quote(path, safe="/%?#;=+:@!$&'()*,~[]")
    return Request(method, path, headers, data, expect)


def make_raw_request(g, token, port):
    """Broken HTTP: a lying Content-Length, a bad request line, huge headers, a chunked body over the limit."""
    body = json.dumps({"path": "amount_per_child", "value": 40}).encode()
    auth = f"X-Simrun-Token: {token}\r\nHost: 127.0.0.1:{port}\r\n".encode()
    cases = [
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Content-Length: 100\r\nContent-Type: application/json\r\n\r\n" + body,
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Content-Length: -5\r\n\r\n" + body,
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Content-Length: 99999999999999999999\r\n\r\n" + body,
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n" + body,
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Transfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"4000\r\n" + b" " * 0x4000 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n",
        b"POST /api/options/1/parameter HTTP/1.1\r\n" + auth + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        b"GET /api/state HTTP/1.1\r\n" + auth + b"X-Big: " + b"a" * 100000 + b"\r\n\r\n",
        b"GET /api/state HTTP/9.9\r\n" + auth + b"\r\n",
        b"GARBAGE\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200),  # a TLS hello
        b"GET " + b"/" * 70000 + b" HTTP/1.1\r\n" + auth + b"\r\n",
        b"CONNECT /api/state HTTP/1.1\r\n" + auth + b"\r\n",
        b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + auth + b"\r\n",
        b"GET /api/state HTTP/1.1\r\n" + auth,  # headers never finished (the server must not wait on it forever)
        b"POST /api/options/1/label HTTP/1.1\r\n" + auth + b"Content-Length: 20\r\n\r\n{\"label\"",  # body cut short
    ]
    return Request("RAW", "(raw)", [], None, None, raw=g.pick(cases))


# ---------------------------------------------------------------------------------------------------------------
# The server and the checks


class Failure(Exception):
    pass


class Campaign:
    def __init__(self, args):
        self.args = args
        self.root = tempfile.mkdtemp(prefix="simrun-serve-fuzz-")
        self.work = os.path.join(self.root, "work")
        self.outside = os.path.join(self.root, "outside")
        self.tmp = os.path.join(self.root, "tmp")
        self.canary = "CANARY-" + "".join(random.Random(args.seed).choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(16))
        shutil.copytree(os.path.join(ROOT, "inputs"), os.path.join(self.work, "inputs"))
        os.makedirs(self.outside)
        os.makedirs(self.tmp)
        # Files the page must never read: a scenario, a survey and a text holding the canary, and a link to one.
        with open(os.path.join(self.outside, "secret.yaml"), "w") as f:
            f.write(f"scenario: {self.canary}\ntitle: {self.canary}\nbaseline: {self.canary}\n")
        with open(os.path.join(self.outside, "secret.csv"), "w") as f:
            f.write(f"hh_id,person_id,{self.canary}\n1,1,{self.canary}\n")
        with open(os.path.join(self.outside, "secret.txt"), "w") as f:
            f.write(self.canary + "\n")
        os.symlink(os.path.join(self.outside, "secret.yaml"), os.path.join(self.work, "link.yaml"))
        with open(os.path.join(ROOT, "inputs/data/example-persons.csv"), encoding="utf-8") as f:
            self.rows = [line.strip() for line in f if line.count(",") >= 3][1:]
        self.server = None
        self.stderr = None
        self.port = None
        self.token = None
        self.restarts = 0
        self.protected = self.snapshot_protected()
        self.work_entries = set(os.listdir(self.work))

    # -- the server --

    def start(self):
        self.stderr = open(os.path.join(self.root, f"serve-{self.restarts}.stderr"), "w+")
        env = dict(os.environ, TMPDIR=self.tmp)
        self.server = subprocess.Popen([self.args.simrun, "serve"] + STARTED + ["--country", "example", "--port", "0"],
                                       cwd=self.work, stdout=subprocess.PIPE, stderr=self.stderr, env=env,
                                       start_new_session=True)
        ready, _, _ = select.select([self.server.stdout], [], [], 300)
        line = self.server.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("http://127.0.0.1:") or "?token=" not in line:
            raise Failure(f"serve did not print its address (got {line!r}); stderr:\n{self.stderr_tail()}")
        url = urllib.parse.urlparse(line)
        self.port = url.port
        self.token = urllib.parse.parse_qs(url.query)["token"][0]

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()

    def stderr_tail(self, n=3000):
        if not self.stderr:
            return ""
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()[-n:]

    # -- sending --

    def send(self, request, timeout=60):
        """(status, headers, body) of the answer; status None when the connection was closed without one."""
        if request.raw is not None:
            return self.send_raw(request.raw)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest(request.method, request.path, skip_host=True, skip_accept_encoding=True)
            for name, value in request.headers:
                connection.putheader(name, value)
            if request.body is not None:
                connection.putheader("Content-Length", str(len(request.body)))
            connection.endheaders(request.body)
            response = connection.getresponse()
            return response.status, dict((k.lower(), v) for k, v in response.getheaders()), response.read()
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as e:
            # The server may close a connection whose body it refuses (over the limit) before reading it all.
            if request.body is not None and len(request.body) > MAXIMUM_BODY:
                return None, {}, str(e).encode()
            raise Failure(f"the connection was dropped without an answer ({e})")
        except socket.timeout:
            raise Failure(f"no answer within {timeout} s (a hang)")
        finally:
            connection.close()

    def send_raw(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as s:
            try:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass
            answer = b""
            try:
                while len(answer) < 1 << 20:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except ConnectionResetError:
                pass
            except socket.timeout:
                raise Failure("no answer to broken HTTP within 20 s and the connection held open")
        if not answer:
            return None, {}, b""
        head, _, body = answer.partition(b"\r\n\r\n")
        try:
            status = int(head.split(b" ", 2)[1])
        except (IndexError, ValueError):
            raise Failure(f"an answer that is not HTTP: {answer[:200]!r}")
        headers = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, body

    # -- the checks --

    def check_answer(self, request, status, headers, body):
        if status is None:
            return  # a refused connection (oversized body, broken HTTP): the liveness check below decides
        if status >= 500:
            raise Failure(f"{status} answer: {body[:500]!r}")
        if self.canary.encode() in body:
            raise Failure("the answer holds the canary of a file outside the working folder")
        if request.expect is not None and status != request.expect and request.raw is None and request.method in PARSED_METHODS:
            raise Failure(f"expected {request.expect}, got {status}: {body[:300]!r}")
        path = urllib.parse.urlparse(request.path).path if request.raw is None else ""
        if request.raw is not None or request.method not in PARSED_METHODS:
            return  # broken HTTP: the framework's own answer (a bare 400), or none; liveness decides
        if request.method == "HEAD":
            return  # no body, by definition
        if status >= 400 and (path.startswith("/api/") or request.expect):
            if not headers.get("content-type", "").startswith("application/json"):
                raise Failure(f"{status} error not as JSON (content-type {headers.get('content-type')!r}): {body[:300]!r}")
            try:
                error = json.loads(body)
            except ValueError:
                raise Failure(f"{status} error body is not JSON: {body[:300]!r}")
            message = error.get("error") if isinstance(error, dict) else None
            if not isinstance(message, str) or not message.strip():
                raise Failure(f"{status} error without a message: {body[:300]!r}")
            if len(message) > 4000:
                raise Failure(f"{status} error message of {len(message)} characters (an echo?): {message[:300]!r}")
            # A number the server computed and could not say (what the request sent is quoted, and left out here).
            unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", message)
            if re.search(r"\b(null|nan|NaN|inf|Infinity)\b", unquoted):
                raise Failure(f"{status} error message says a non-finite number: {message[:300]!r}")
            for row in self.rows:
                if row in message:
                    raise Failure(f"the error message holds a row of the survey: {message[:300]!r}")

    def check_success(self, request, status, headers, body):
        path = urllib.parse.urlparse(request.path).path
        if request.raw is not None or not 200 <= status < 300 or not path.startswith("/api/") or request.method == "HEAD":
            return
        if path == "/api/pack" or path.endswith("/yaml"):
            return
        try:
            json.loads(body)
        except ValueError:
            raise Failure(f"{status} answer of the API is not JSON: {body[:300]!r}")

    def check_alive(self):
        if self.server.poll() is not None:
            raise Failure(f"the server exited with status {self.server.returncode}; stderr:\n{self.stderr_tail()}")
        status, headers, body = self.send(Request("GET", "/api/state",
                                                  [("Host", f"127.0.0.1:{self.port}"), ("X-Simrun-Token", self.token)], None))
        if status != 200:
            raise Failure(f"GET /api/state answered {status} after the request: {body[:500]!r}")
        state = json.loads(body)
        if not state.get("options"):
            raise Failure("GET /api/state has no options after the request")
        return state

    def snapshot_protected(self):
        """Every file outside the working folder that the campaign can see, and the copied inputs, with sizes and times."""
        seen = {}
        for top in [self.root, os.path.join(ROOT, "inputs")]:
            for folder, dirs, files in os.walk(top):
                if os.path.abspath(folder) == os.path.abspath(self.work):
                    dirs[:] = ["inputs"]
                    continue
                for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                    p = os.path.join(folder, name)
                    if p.endswith(".stderr") and os.path.dirname(p) == self.root:
                        continue
                    st = os.lstat(p)
                    seen[p] = (st.st_size, st.st_mtime_ns)
                seen[folder] = "folder"
        return seen

    def check_files(self):
        now = self.snapshot_protected()
        if now != self.protected:
            added = sorted(set(now) - set(self.protected))
            removed = sorted(set(self.protected) - set(now))
            changed = sorted(p for p in set(now) & set(self.protected) if now[p] != self.protected[p])
            raise Failure(f"files outside the working folder changed: added {added[:5]}, removed {removed[:5]}, changed {changed[:5]}")
        for name in set(os.listdir(self.work)) - self.work_entries:
            full = os.path.join(self.work, name)
            if name.startswith(".simrun-serve-"):
                raise Failure(f"a staging folder was left in the working folder: {name}")
            if not name.endswith(".yaml") or os.path.islink(full) or not os.path.isfile(full):
                raise Failure(f"something other than a saved scenario appeared in the working folder: {name!r}")
            with open(full, "rb") as f:
                if self.canary.encode() in f.read():
                    raise Failure(f"a saved file holds the canary: {name}")

    # -- the run --

    def run_one(self, request):
        status, headers, body = self.send(request)
        self.check_answer(request, status, headers, body)
        if status is not None:
            self.check_success(request, status, headers, body)
        state = self.check_alive()
        self.check_files()
        return status, state

    def run(self):
        rng = random.Random(self.args.seed)
        g = Generator(rng)
        failures = []
        counts = {}
        sent = 0
        self.start()
        status, headers, body = self.send(Request("GET", "/api/scenarios", [("Host", f"127.0.0.1:{self.port}"),
                                                                           ("X-Simrun-Token", self.token)], None))
        g.learn(scenarios=json.loads(body))
        g.learn(state=self.check_alive())
        replay = []
        if self.args.replay:
            with open(self.args.replay) as f:
                replay = [Request.from_record(json.loads(line)) for line in f if line.strip()]
        deadline = time.monotonic() + self.args.seconds
        while (replay or time.monotonic() < deadline) and (not self.args.requests or sent < self.args.requests):
            if replay:
                request = replay.pop(0)
                request.headers = [(n, v.replace("{token}", self.token).replace("{port}", str(self.port))) for n, v in request.headers]
            elif rng.random() < 0.03:
                request = make_raw_request(g, self.token, self.port)
            else:
                request = make_request(g, self.token, self.port)
            sent += 1
            try:
                status, state = self.run_one(request)
                key = f"{request.method} {status}"
                counts[key] = counts.get(key, 0) + 1
                g.learn(state=state)
            except Failure as failure:
                record = request.record()
                record["headers"] = [(n, v.replace(self.token, "{token}").replace(f"127.0.0.1:{self.port}", "127.0.0.1:{port}"))
                                     for n, v in request.headers]
                failures.append((str(failure), request.describe()))
                print(f"serve_fuzz: FAILURE after {sent} requests: {failure}\n  request: {request.describe()}", flush=True)
                if self.args.failures:
                    with open(self.args.failures, "a") as f:
                        f.write(json.dumps(dict(record, failure=str(failure)[:500])) + "\n")
                if len(failures) >= self.args.max_failures:
                    break
                # Start afresh (the server may be down, or its folder in a state the checks refuse).
                print(f"  server stderr (tail):\n{self.stderr_tail(1500)}", flush=True)
                self.stop()
                self.restarts += 1
                shutil.rmtree(self.work)
                shutil.copytree(os.path.join(ROOT, "inputs"), os.path.join(self.work, "inputs"))
                os.symlink(os.path.join(self.outside, "secret.yaml"), os.path.join(self.work, "link.yaml"))
                for name in os.listdir(self.tmp):
                    shutil.rmtree(os.path.join(self.tmp, name), ignore_errors=True)
                self.protected = self.snapshot_protected()
                self.start()
                g = Generator(rng)
                g.learn(state=self.check_alive())
        self.stop()
        saved = len([n for n in os.listdir(self.work) if n.endswith(".yaml") and n != "link.yaml"])
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(f"serve_fuzz: seed {self.args.seed}, {sent} requests in {self.args.seconds} s or less, {self.restarts} restarts, "
              f"{saved} scenarios saved; answers {summary}")
        return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--simrun", required=True, help="the simrun executable")
    parser.add_argument("--seconds", type=float, default=45, help="how long to send requests (default 45)")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many requests (default: no limit)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--failures", help="append each failing request to this file (JSON lines, for --replay)")
    parser.add_argument("--replay", help="send the requests of a --failures file first")
    parser.add_argument("--max-failures", type=int, default=20, help="stop after this many failures (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (printed)")
    args = parser.parse_args()
    args.simrun = os.path.abspath(args.simrun)
    if not os.access(args.simrun, os.X_OK):
        print(f"serve_fuzz: no simrun executable at {args.simrun}")
        return 2
    campaign = Campaign(args)
    try:
        failures = campaign.run()
    except Failure as failure:
        print(f"serve_fuzz: the server could not be started: {failure}")
        return 2
    finally:
        campaign.stop()
        if args.keep:
            print(f"serve_fuzz: scratch folder kept: {campaign.root}")
        else:
            shutil.rmtree(campaign.root, ignore_errors=True)
    if failures:
        print(f"serve_fuzz: {len(failures)} failures")
        return 1
    print("serve_fuzz: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
