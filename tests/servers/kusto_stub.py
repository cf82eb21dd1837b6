#!/usr/bin/python3
"""A local stand-in for Log Analytics, Azure Data Explorer and Azure AD, for tests,
docs and benchmarks only.

    kusto_stub.py [--token TOKEN] [--tenant T --client-id C --client-secret S]
                  [--row-cap N] [--delay-ms N] [--samples DATASETS_DIR]

Listens on 127.0.0.1, on a port the system picks, and prints "PORT <n>" on its first
line of stdout. It never contacts anything. Routes, each answering in the service's
documented JSON shape:

  POST /<tenant>/oauth2/v2.0/token    Azure AD client credentials (form-encoded):
                                      {"token_type": "Bearer", "expires_in", "access_token"}
                                      or 400/401 {"error", "error_description"}
  POST /v1/workspaces/<id>/query      Log Analytics query API: {"query", "timespan"} ->
                                      {"tables": [{"name", "columns": [{"name", "type"}],
                                      "rows"}]} (+ "error": PartialError when cut)
  POST /adx/<cluster>/v1/rest/query   ADX v1: {"db", "csl"} -> {"Tables": [result,
                                      @ExtendedProperties, QueryStatus, table of contents]}
  POST /adx/<cluster>/v2/rest/query   ADX v2: frames (DataSetHeader, DataTable x3,
                                      DataSetCompletion)
  GET  /_stats                        {"requests", "token_requests", "queries": [{"path",
                                      "kql", "timespan", "db"}], "scopes"} (not counted)
  GET  /_reset                        forgets requests and issued tokens
  POST /_config                       {"row_cap", "token_life", "token_valid",
                                      "slow_seconds", "delay_ms", "big_rows", "memo"}: change
                                      behaviour (memo: answer a repeated request with the
                                      bytes made the first time, for benchmarks)

The queries are run, not matched: a small KQL engine (below) executes the subset sqlhunt
writes and the docs use (where with == != < <= > >= in !in has contains between and or
not isnull isnotnull; project, extend, take/limit, summarize count() countif() min()
max() dcount() sum() by, sort/order by, count, distinct), so a test checks rows, not
only text. String literals are decoded by the documented escape rules (\\ \" \' \n \r
\t; @"..." verbatim): a hostile value that sqlhunt quoted wrongly fails to match (or to
parse, a 400). The KQL text of every request is recorded for /_stats.

Answers are cut at --row-cap rows (default 500,000, the documented cap) with the
documented partial-error section (E_QUERY_RESULT_SET_TOO_LARGE), so a small cap proves
the split by time. Tables (deterministic data):
  SecurityAlert, AuditLog_CL, AzureNetworkAnalytics_CL   the docs' investigation
  Events     hostile strings in Computer, a row with no TimeGenerated, every type
  Big        100,000 rows (big_rows), one a second from 2019-03-01T00:00:00Z
  Huge       2,000 rows of 2 KB (about 4 MB of answer)
  Nulls      30 rows with no TimeGenerated
Behaviour tables: Slow (answers after slow_seconds, default 5), Throttled (429 with
Retry-After: 1 the first time, then answers), Throttled120 (always 429, Retry-After:
120), Boom (500), Garbage (200 with a body that is no JSON), Partial (rows and a
partial error that is not about size). With --samples (the shared datasets folder),
workspace `samples` answers from real Sentinel exports instead (SAMPLE_FILES: the
rows of alerts_list.jsonl as SecurityAlert, all_events.jsonl as SecurityEvent,
az_net_flows.csv as AzureNetworkAnalytics_CL), each column typed as Log Analytics
would type it (sample_table). Workspace `missing-ws` is a 404,
`forbidden-ws` a 403, `ws-reordered` answers with the columns in reverse order; ADX
knows the database `Samples` only.

Auth: a bearer token is accepted if it is --token, or one this server issued that is
still valid (`token_valid` seconds, default = `token_life`, default 3600; `expires_in`
says token_life). No header: 401 AuthenticationFailed; an expired issued token: 401;
anything else: 403 InvalidAuthenticationToken (the documented codes).
"""
import argparse
import csv
import functools
import gzip
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TICKS = 10_000_000  # a second in 100 ns ticks
LOCK = threading.Lock()
STATE = {"requests": 0, "token_requests": 0, "queries": [], "scopes": [], "issued": {}, "seen_throttled": False}
CONFIG = {"row_cap": 500_000, "token_life": 3600, "token_valid": None, "slow_seconds": 5.0, "delay_ms": 0,
          "big_rows": 100_000, "memo": False}
MEMO = {}  # (path, body) -> answer bytes, when CONFIG["memo"] (benchmarks: the server's own cost once)
ARGS = None


class KqlError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind  # "syntax" or "semantic"


# ---- values -------------------------------------------------------------------

@functools.total_ordering
class Dt:
    """A datetime as Kusto holds it: 100 ns ticks since 1970 (exact)."""
    __slots__ = ("t",)

    def __init__(self, t):
        self.t = t

    def __eq__(self, o):
        return isinstance(o, Dt) and o.t == self.t

    def __lt__(self, o):
        return self.t < o.t

    def __hash__(self):
        return hash(self.t)


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_dt(text):
    m = ISO.match(text.strip())
    if not m:
        raise KqlError("syntax", f"Query could not be parsed at 'datetime({text})'")
    y, mo, d, h, mi, s, frac, zone = m.groups()
    secs = days_from_civil(int(y), int(mo), int(d)) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)
    ticks = secs * TICKS + (int((frac or "")[:7].ljust(7, "0")) if frac else 0)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        z = zone[1:].replace(":", "")
        ticks -= sign * (int(z[:2]) * 3600 + int(z[2:] or 0) * 60) * TICKS
    return Dt(ticks)


def dt_text(v):
    """Log Analytics' and ADX's form: seven fraction digits, Z."""
    secs, frac = divmod(v.t, TICKS)
    days, sod = divmod(secs, 86400)
    y, m, d = civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ" % (y, m, d, sod // 3600, sod // 60 % 60, sod % 60, frac)


def at(iso):
    return parse_dt(iso)


# ---- data ----------------------------------------------------------------------

def table(columns, rows):
    return {"columns": columns, "rows": rows}


def build_tables():
    t = {}
    victim, attacker = "MSTICAlertsLxVM2", "23.97.60.214"
    alert_cols = [("TimeGenerated", "datetime"), ("AlertName", "string"), ("Severity", "string"),
                  ("CompromisedEntity", "string"), ("Description", "string"), ("ProviderName", "string"),
                  ("SystemAlertId", "string"), ("Entities", "dynamic"), ("ExtendedProperties", "dynamic")]
    alerts = [
        ("2019-03-02T00:09:00Z", "SSH Anomalous Login ML", "Medium", victim,
         "An anomalous SSH login to MSTICAlertsLxVM2 from 23.97.60.214 (Singapore)", "ASI Scheduled Alerts",
         "a1b2c3d4-0001", [{"$id": "2", "Address": attacker, "Type": "ip"}, {"$id": "3", "HostName": victim, "Type": "host"}],
         {"Source IP": attacker, "Account": "root"}),
        ("2019-03-02T00:10:30Z", "Detected suspicious file download", "High", victim,
         "curl downloaded /tmp/a b.sh from 203.0.113.9 on MSTICAlertsLxVM2", "Detection",
         "a1b2c3d4-0002", [{"$id": "2", "Address": "203.0.113.9", "Type": "ip"}], {"Process": "/usr/bin/curl"}),
        ("2019-03-02T00:25:00Z", "Possible suspicious scheduling tasks access detected", "Medium", victim,
         "crontab edited on MSTICAlertsLxVM2", "Detection", "a1b2c3d4-0003", [], {"File": "/etc/crontab"}),
        ("2019-03-02T02:00:00Z", "Suspicious Activity Detected", "Low", "MSTICAlertsWin1",
         "Unusual process on MSTICAlertsWin1", "Detection", "a1b2c3d4-0004", [], {}),
        ("2019-03-03T09:00:00Z", "SSH Anomalous Login ML", "Medium", victim,
         "An anomalous SSH login to MSTICAlertsLxVM2 from 61.184.247.3", "ASI Scheduled Alerts",
         "a1b2c3d4-0005", [{"$id": "2", "Address": "61.184.247.3", "Type": "ip"}], {"Source IP": "61.184.247.3"}),
    ]
    t["SecurityAlert"] = table(alert_cols, [[at(a[0])] + list(a[1:]) for a in alerts])

    audit_lines = []
    try:
        with open(AUDIT_SAMPLE, encoding="utf-8") as f:
            audit_lines = [l.rstrip("\n") for l in f]
    except OSError:
        pass
    audit_rows = []
    for i, line in enumerate(audit_lines):
        m = re.search(r"audit\((\d+)\.(\d+):", line)
        ts = Dt(int(m.group(1)) * TICKS + int(m.group(2)) * 10_000 + 5 * TICKS) if m else Dt(1551485400 * TICKS + i * TICKS)
        audit_rows.append([ts, victim, line])
    audit_rows.append([at("2019-03-02T00:11:00Z"), "otherhost", "type=USER_START msg=audit(1551485460.000:9): pid=1 uid=0"])
    t["AuditLog_CL"] = table([("TimeGenerated", "datetime"), ("Computer", "string"), ("RawData", "string")], audit_rows)

    flows = []
    def flow(ts, src, dst, port, proto, direction, vm, n):
        flows.append([at(ts), "FlowLog", src, dst, port, proto, direction, vm, n, "AzurePublic" if dst.startswith("13.") else "ExternalPublic"])
    flow("2019-03-02T00:08:00Z", attacker, "10.0.0.4", 22, "T", "I", victim, 12)
    flow("2019-03-02T00:09:00Z", attacker, "10.0.0.4", 22, "T", "I", victim, 3)
    flow("2019-03-02T00:10:00Z", "10.0.0.4", "203.0.113.9", 443, "T", "O", victim, 1)
    flow("2019-03-02T00:12:00Z", "10.0.0.4", attacker, 4444, "T", "O", victim, 2)
    flow("2019-03-02T00:20:00Z", "10.0.0.4", "13.71.172.130", 443, "T", "O", victim, 40)
    flow("2019-03-02T00:30:00Z", "61.184.247.3", "10.0.0.4", 22, "T", "I", victim, 57)
    flow("2019-03-02T01:00:00Z", "10.0.0.5", "13.71.172.128", 443, "T", "O", "MSTICAlertsWin1", 9)
    t["AzureNetworkAnalytics_CL"] = table(
        [("TimeGenerated", "datetime"), ("SubType_s", "string"), ("SrcIP_s", "string"), ("DestIP_s", "string"),
         ("DestPort_d", "real"), ("L4Protocol_s", "string"), ("FlowDirection_s", "string"), ("VM_s", "string"),
         ("AllowedFlows_d", "real"), ("FlowType_s", "string")], flows)

    hostile = ["it's", 'say "hi"', "back\\slash", "line\nbreak", "tab\there", "| where 1==1", "// not a comment",
               "caf\u00e9 \u6f22\u5b57", "", "web01"]
    events = []
    for i, h in enumerate(hostile):
        events.append([Dt((1551484800 + i * 60) * TICKS), h, 4624 + i % 3, i % 2 == 0, i * 1.5,
                       {"n": i, "tags": ["a", "b"]}, "6a1b2c3d-0000-0000-0000-%012d" % i, "00:00:0%d" % (i % 10), i])
    events.append([None, "notime", 4624, False, None, None, None, None, 99])
    t["Events"] = table([("TimeGenerated", "datetime"), ("Computer", "string"), ("EventID", "int"), ("Success", "bool"),
                         ("Score", "real"), ("Data", "dynamic"), ("Id", "guid"), ("Duration", "timespan"),
                         ("Seq", "long")], events)
    t["Nulls"] = table([("TimeGenerated", "datetime"), ("n", "long")], [[None, i] for i in range(30)])
    return t


AUDIT_SAMPLE = None
TABLES = None
LAZY = {}


def lazy_table(name):
    if name in LAZY and (name != "Big" or len(LAZY[name]["rows"]) == int(CONFIG["big_rows"])):
        return LAZY[name]
    if name == "Big":
        base = 1551398400 * TICKS  # 2019-03-01T00:00:00Z
        rows = [[Dt(base + i * TICKS), "host%02d" % (i % 50), 4624 + i % 5, "user%d" % (i % 97), i * 0.25, i]
                for i in range(int(CONFIG["big_rows"]))]
        LAZY[name] = table([("TimeGenerated", "datetime"), ("Computer", "string"), ("EventID", "int"),
                            ("Account", "string"), ("Score", "real"), ("Seq", "long")], rows)
    elif name == "Huge":
        base = 1551398400 * TICKS
        pad = "x" * 2000
        LAZY[name] = table([("TimeGenerated", "datetime"), ("n", "long"), ("Blob", "string")],
                           [[Dt(base + i * TICKS), i, pad] for i in range(2000)])
    else:
        return None
    return LAZY[name]


SAMPLES = None  # Sentinel table -> table, from --samples
SAMPLE_FILES = {"SecurityAlert": "alerts/alerts_list.jsonl", "SecurityEvent": "windows/all_events.jsonl",
                "AzureNetworkAnalytics_CL": "network/az_net_flows.csv"}
SAMPLE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")
SAMPLE_LONG = re.compile(r"^-?\d+$")
SAMPLE_REAL = re.compile(r"^-?\d+(\.\d*)?([eE][-+]?\d+)?$")


def sample_type(values, from_csv):
    """The Kusto type of an exported column from its non-empty values: what the
    export's writer kept of the workspace's types (JSON kept all but datetime; CSV
    only text, so numbers are read back from it as pandas does)."""
    vs = [v for v in values if v is not None and v != ""]
    if not vs:
        return "string"
    if all(isinstance(v, bool) for v in vs):
        return "bool"
    if any(isinstance(v, (dict, list)) for v in vs):
        return "dynamic"
    if all(isinstance(v, str) for v in vs):
        if all(SAMPLE_TIME.match(v) for v in vs):
            return "datetime"
        if from_csv and all(SAMPLE_LONG.match(v) for v in vs):
            return "long"
        if from_csv and all(SAMPLE_REAL.match(v) for v in vs):
            return "real"
        return "string"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return "long"
    return "real" if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs) else "string"


def sample_cell(v, typ):
    if typ != "string" and v == "":
        return None  # an empty cell of a typed column: Kusto's null
    if v is None or typ in ("string", "bool", "dynamic"):
        return v
    if typ == "datetime":
        return parse_dt(v)
    if isinstance(v, str):
        return int(v) if typ == "long" else float(v)
    return float(v) if typ == "real" else v


def sample_table(path):
    """A table of an export: JSON lines (keys in column order) or a pandas CSV (its
    unnamed index column dropped)."""
    if path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        names = list(records[0])
        cells = [[r.get(n) for n in names] for r in records]
    else:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header, *data = list(csv.reader(f))
        keep = [i for i, n in enumerate(header) if n]
        names = [header[i] for i in keep]
        cells = [[row[i] for i in keep] for row in data]
    types = [sample_type([r[i] for r in cells], not path.endswith(".jsonl")) for i in range(len(names))]
    return table(list(zip(names, types)), [[sample_cell(v, t) for v, t in zip(r, types)] for r in cells])


def get_table(name):
    if name in TABLES:
        return TABLES[name]
    if name in ("Slow", "Throttled", "Throttled120", "Partial"):
        return TABLES["Events"]
    return lazy_table(name)


# ---- a small KQL engine --------------------------------------------------------

TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*)
  | (?P<dt>(?:datetime|todatetime)\s*\()
  | (?P<realf>real\s*\()
  | (?P<verb>[hH]?@"(?:[^"]|"")*"|[hH]?@'(?:[^']|'')*')
  | (?P<str>[hH]?"(?:[^"\\\n]|\\.)*"|[hH]?'(?:[^'\\\n]|\\.)*')
  | (?P<num>\d+\.\d*(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<brk>\[\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\])
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|=~|!in\b|!has\b|\.\.|[<>=|(),])
""", re.X)

ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t"}


def unescape(body, where):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1] not in ESCAPES:
                raise KqlError("syntax", f"Query could not be parsed at '{where}': unknown escape")
            out.append(ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokenize(text):
    toks, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            raise KqlError("syntax", f"Query could not be parsed at '{text[pos:pos + 10]}' on line [{line},{col}]")
        kind = m.lastgroup
        s = m.group(kind)
        pos = m.end()
        if kind == "ws":
            continue
        if kind in ("dt", "realf"):
            end = text.find(")", pos)
            if end < 0:
                raise KqlError("syntax", "Query could not be parsed: a literal has no ')'")
            inner = text[pos:end].strip()
            pos = end + 1
            if kind == "dt":
                toks.append(("lit", parse_dt(inner), "datetime"))
            else:
                v = {"+inf": float("inf"), "inf": float("inf"), "-inf": float("-inf"), "nan": float("nan")}.get(inner)
                toks.append(("lit", float(inner) if v is None else v, "real"))
            continue
        if kind == "verb":
            s = s.lstrip("hH")
            q = s[1]
            toks.append(("lit", s[2:-1].replace(q + q, q), "string"))
        elif kind == "str":
            s = s.lstrip("hH")
            toks.append(("lit", unescape(s[1:-1], s), "string"))
        elif kind == "num":
            toks.append(("lit", float(s), "real") if ("." in s or "e" in s.lower()) else ("lit", int(s), "long"))
        elif kind == "brk":
            inner = s.strip()[1:-1].strip()
            toks.append(("id", unescape(inner[1:-1], s), None))
        elif kind == "id":
            low = s.lower()
            if low in ("true", "false"):
                toks.append(("lit", low == "true", "bool"))
            else:
                toks.append(("id", s, None))
        else:
            toks.append(("op", s, None))
    toks.append(("end", None, None))
    return toks


class Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self, k=0):
        return self.toks[self.i + k]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def is_word(self, w, k=0):
        t = self.peek(k)
        return t[0] == "id" and t[1].lower() == w

    def is_op(self, o):
        t = self.peek()
        return t[0] == "op" and t[1] == o

    def expect_op(self, o):
        t = self.take()
        if t[0] != "op" or t[1] != o:
            raise KqlError("syntax", f"Query could not be parsed at '{t[1]}': expected '{o}'")

    def ident(self):
        t = self.take()
        if t[0] != "id":
            raise KqlError("syntax", f"Query could not be parsed at '{t[1]}': expected a name")
        return t[1]

    # expressions: ("lit", v, type) | ("col", name) | ("op", op, a, b) | ("fn", name, args)
    def expr(self):
        a = self.and_expr()
        while self.is_word("or"):
            self.take()
            a = ("or", a, self.and_expr())
        return a

    def and_expr(self):
        a = self.cmp()
        while self.is_word("and"):
            self.take()
            a = ("and", a, self.cmp())
        return a

    def cmp(self):
        a = self.primary()
        t = self.peek()
        if t[0] == "op" and t[1] in ("==", "!=", "<", "<=", ">", ">=", "=~"):
            self.take()
            return ("cmp", t[1], a, self.primary())
        if (t[0] == "id" and t[1].lower() in ("in", "has", "contains", "between", "startswith")) or \
                (t[0] == "op" and t[1] in ("!in", "!has")):
            op = self.take()[1].lower()
            if op in ("in", "!in"):
                self.expect_op("(")
                items = [self.primary()]
                while self.is_op(","):
                    self.take()
                    items.append(self.primary())
                self.expect_op(")")
                return ("in", op == "!in", a, items)
            if op == "between":
                self.expect_op("(")
                lo = self.primary()
                self.expect_op("..")
                hi = self.primary()
                self.expect_op(")")
                return ("between", a, lo, hi)
            return ("str", op, a, self.primary())
        return a

    def primary(self):
        t = self.take()
        if t[0] == "lit":
            return ("lit", t[1], t[2])
        if t[0] == "op" and t[1] == "(":
            e = self.expr()
            self.expect_op(")")
            return e
        if t[0] == "id":
            if self.is_op("("):
                self.take()
                args = []
                if not self.is_op(")"):
                    args.append(self.expr())
                    while self.is_op(","):
                        self.take()
                        args.append(self.expr())
                self.expect_op(")")
                return ("fn", t[1].lower(), args)
            return ("col", t[1])
        raise KqlError("syntax", f"Query could not be parsed at '{t[1]}'")


def kql_cmp(op, a, b):
    if a is None or b is None:
        return False
    if isinstance(a, Dt) != isinstance(b, Dt):
        raise KqlError("semantic", "Cannot compare values of types datetime and another type")
    if isinstance(a, str) != isinstance(b, str):
        raise KqlError("semantic", f"Cannot compare values of types string and number ({a!r} {op} {b!r})")
    if op == "=~":
        return a.lower() == b.lower()
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def evaluate(e, row, cols):
    k = e[0]
    if k == "lit":
        return e[1]
    if k == "col":
        if e[1] not in cols:
            raise KqlError("semantic", f"'where' operator: Failed to resolve scalar expression named '{e[1]}'")
        return row[cols[e[1]]]
    if k == "or":
        return bool(evaluate(e[1], row, cols)) or bool(evaluate(e[2], row, cols))
    if k == "and":
        return bool(evaluate(e[1], row, cols)) and bool(evaluate(e[2], row, cols))
    if k == "cmp":
        return kql_cmp(e[1], evaluate(e[2], row, cols), evaluate(e[3], row, cols))
    if k == "in":
        v = evaluate(e[2], row, cols)
        hit = v is not None and any(kql_cmp("==", v, evaluate(x, row, cols)) for x in e[3])
        return hit != e[1]
    if k == "between":
        v = evaluate(e[1], row, cols)
        return v is not None and kql_cmp(">=", v, evaluate(e[2], row, cols)) and kql_cmp("<=", v, evaluate(e[3], row, cols))
    if k == "str":
        v, s = evaluate(e[2], row, cols), evaluate(e[3], row, cols)
        if v is None:
            return False
        v, s = str(v).lower(), str(s).lower()
        if e[1] == "has":
            return re.search(r"(?<![A-Za-z0-9])" + re.escape(s) + r"(?![A-Za-z0-9])", v) is not None
        if e[1] == "!has":
            return re.search(r"(?<![A-Za-z0-9])" + re.escape(s) + r"(?![A-Za-z0-9])", v) is None
        if e[1] == "startswith":
            return v.startswith(s)
        return s in v
    if k == "fn":
        name, args = e[1], [evaluate(a, row, cols) for a in e[2]]
        if name == "isnull":
            return args[0] is None
        if name == "isnotnull":
            return args[0] is not None
        if name == "not":
            return not args[0]
        if name == "tolower":
            return None if args[0] is None else str(args[0]).lower()
        if name == "strlen":
            return None if args[0] is None else len(args[0])
        raise KqlError("semantic", f"Unknown function: '{name}'")
    raise KqlError("syntax", "Query could not be parsed")


def type_of(e, types):
    k = e[0]
    if k == "lit":
        return e[2]
    if k == "col":
        return types.get(e[1], "string")
    if k in ("or", "and", "cmp", "in", "between", "str"):
        return "bool"
    if k == "fn":
        return {"isnull": "bool", "isnotnull": "bool", "not": "bool", "strlen": "long"}.get(e[1], "string")
    return "string"


def run_query(text, tables=None):
    """(columns [(name, type)], rows [[...]]) for a KQL query, over `tables` (a dict)
    or the stub's own."""
    p = Parser(text)
    name = p.ident()
    src = tables.get(name) if tables is not None else get_table(name)
    if src is None:
        raise KqlError("semantic", f"'{name}' operator: Failed to resolve table or column expression named '{name}'")
    cols = list(src["columns"])
    rows = src["rows"]
    while not p.peek()[0] == "end":
        p.expect_op("|")
        op = p.ident().lower()
        index = {c[0]: i for i, c in enumerate(cols)}
        types = dict(cols)
        if op == "where":
            e = p.expr()
            rows = [r for r in rows if evaluate(e, r, index)]
        elif op in ("take", "limit"):
            t = p.take()
            if t[0] != "lit" or t[2] != "long":
                raise KqlError("syntax", f"Query could not be parsed at '{t[1]}': take needs a number")
            rows = rows[:t[1]]
        elif op in ("project", "extend"):
            items = []
            while True:
                n = p.ident()
                if p.is_op("="):
                    p.take()
                    items.append((n, p.expr()))
                else:
                    items.append((n, ("col", n)))
                if not p.is_op(","):
                    break
                p.take()
            new_cols = [] if op == "project" else list(cols)
            for n, e in items:
                c = (n, type_of(e, types))
                if op == "extend" and n in index:
                    new_cols[index[n]] = c
                else:
                    new_cols.append(c)
            out = []
            for r in rows:
                vals = [evaluate(e, r, index) for _, e in items]
                if op == "project":
                    out.append(vals)
                else:
                    nr = list(r)
                    for (n, _), v in zip(items, vals):
                        if n in index:
                            nr[index[n]] = v
                        else:
                            nr.append(v)
                    out.append(nr)
            cols, rows = new_cols, out
        elif op in ("sort", "order"):
            if not p.is_word("by"):
                raise KqlError("syntax", "Query could not be parsed: 'sort' needs 'by'")
            p.take()
            keys = []
            while True:
                n = p.ident()
                desc = True  # Kusto's default order is descending
                if p.is_word("asc") or p.is_word("desc"):
                    desc = p.take()[1].lower() == "desc"
                keys.append((index[n], desc))
                if not p.is_op(","):
                    break
                p.take()
            for i, desc in reversed(keys):
                present = [r for r in rows if r[i] is not None]
                missing = [r for r in rows if r[i] is None]
                present.sort(key=lambda r: r[i], reverse=desc)
                rows = present + missing
        elif op == "count":
            cols, rows = [("Count", "long")], [[len(rows)]]
        elif op == "distinct":
            names = [p.ident()]
            while p.is_op(","):
                p.take()
                names.append(p.ident())
            seen, out = set(), []
            for r in rows:
                key = tuple(r[index[n]] for n in names)
                if key not in seen:
                    seen.add(key)
                    out.append(list(key))
            cols, rows = [(n, types[n]) for n in names], out
        elif op == "summarize":
            aggs = []
            while True:
                n = None
                if p.peek()[0] == "id" and p.peek(1)[0] == "op" and p.peek(1)[1] == "=":
                    n = p.ident()
                    p.take()
                f = p.ident().lower()
                p.expect_op("(")
                arg = None if p.is_op(")") else p.expr()
                p.expect_op(")")
                default = {"count": "count_", "countif": "countif_", "dcount": "dcount_"}.get(f, f"{f}_")
                if arg is not None and arg[0] == "col" and f in ("min", "max", "sum", "dcount"):
                    default = f"{f}_{arg[1]}"
                aggs.append((n or default, f, arg))
                if not p.is_op(","):
                    break
                p.take()
            by = []
            if p.is_word("by"):
                p.take()
                by.append(p.ident())
                while p.is_op(","):
                    p.take()
                    by.append(p.ident())
            groups = {}
            for r in rows:
                groups.setdefault(tuple(r[index[b]] for b in by), []).append(r)
            if not by and not groups:
                groups[()] = []
            out = []
            for key, grp in groups.items():
                vals = list(key)
                for _, f, arg in aggs:
                    xs = [evaluate(arg, r, index) for r in grp] if arg is not None else None
                    if f == "count":
                        vals.append(len(grp))
                    elif f == "countif":
                        vals.append(sum(1 for x in xs if x))
                    elif f == "dcount":
                        vals.append(len({x for x in xs if x is not None}))
                    elif f in ("min", "max"):
                        xs = [x for x in xs if x is not None]
                        vals.append((min if f == "min" else max)(xs) if xs else None)
                    elif f == "sum":
                        vals.append(sum(x for x in xs if x is not None))
                    else:
                        raise KqlError("semantic", f"Unknown aggregation: '{f}'")
                out.append(vals)
            agg_types = []
            for n, f, arg in aggs:
                agg_types.append((n, "long" if f in ("count", "countif", "dcount") else type_of(arg, types)))
            cols, rows = [(b, types[b]) for b in by] + agg_types, out
        else:
            raise KqlError("syntax", f"Query could not be parsed at '{op}'")
    return cols, rows


# ---- answers -------------------------------------------------------------------

def cell(v, typ, dialect):
    if v is None:
        return None
    if isinstance(v, Dt):
        return dt_text(v)
    if typ == "dynamic":
        # Log Analytics sends a dynamic value as JSON text; ADX v2 as JSON.
        return json.dumps(v, separators=(",", ":")) if dialect == "la" else v
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    return v


def rows_json(cols, rows, dialect):
    return [[cell(v, t, dialect) for v, (_, t) in zip(r, cols)] for r in rows]


CUT_MESSAGE = "Query result set has exceeded the internal record count limit {} records (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)"
NET_TYPES = {"string": "String", "datetime": "DateTime", "long": "Int64", "int": "Int32", "real": "Double",
             "bool": "SByte", "dynamic": "Object", "guid": "Guid", "timespan": "TimeSpan", "decimal": "SqlDecimal"}


def la_answer(cols, rows, error):
    body = {"tables": [{"name": "PrimaryResult", "columns": [{"name": n, "type": t} for n, t in cols],
                        "rows": rows_json(cols, rows, "la")}]}
    if error:
        body["error"] = {"code": "PartialError", "message": "There were some errors when processing your query.",
                         "details": [{"code": "EngineError", "message": "Something went wrong processing your query on the server.",
                                      "innererror": {"code": error[0], "message": error[1], "severity": 2, "severityName": "Error"}}]}
    return body


def adx_v2_answer(cols, rows, error):
    qci_cols = [{"ColumnName": n, "ColumnType": t} for n, t in [("Timestamp", "datetime"), ("ClientRequestId", "string"),
                ("Level", "int"), ("LevelName", "string"), ("StatusCode", "int"), ("StatusCodeName", "string"),
                ("EventType", "int"), ("EventTypeName", "string"), ("Payload", "string")]]
    qci = [["2019-03-02T00:00:00.0000000Z", "sqlhunt", 4, "Info", 0, "S_OK (0)", 4, "QueryInfo",
            json.dumps({"Count": 1, "Text": "Query completed successfully"})]]
    frames = [{"FrameType": "DataSetHeader", "IsProgressive": False, "Version": "v2.0"},
              {"FrameType": "DataTable", "TableId": 0, "TableKind": "QueryProperties", "TableName": "@ExtendedProperties",
               "Columns": [{"ColumnName": "TableId", "ColumnType": "int"}, {"ColumnName": "Key", "ColumnType": "string"},
                           {"ColumnName": "Value", "ColumnType": "dynamic"}],
               "Rows": [[1, "Visualization", "{\"Visualization\":null}"]]},
              {"FrameType": "DataTable", "TableId": 1, "TableKind": "PrimaryResult", "TableName": "PrimaryResult",
               "Columns": [{"ColumnName": n, "ColumnType": t} for n, t in cols], "Rows": rows_json(cols, rows, "adx")}]
    done = {"FrameType": "DataSetCompletion", "HasErrors": bool(error), "Cancelled": False}
    if error:
        qci.append(["2019-03-02T00:00:00.0000000Z", "sqlhunt", 2, "Error", -2133196797, "E_QUERY_RESULT_SET_TOO_LARGE",
                    4, "QueryInfo", json.dumps({"Count": 1, "Text": error[1]})])
        done["OneApiErrors"] = [{"error": {"code": "LimitsExceeded", "message": "Request is invalid and cannot be executed.",
                                           "@message": error[1], "@permanent": False}}]
    frames.append({"FrameType": "DataTable", "TableId": 2, "TableKind": "QueryCompletionInformation",
                   "TableName": "QueryCompletionInformation", "Columns": qci_cols, "Rows": qci})
    frames.append(done)
    return frames


def adx_v1_answer(cols, rows, error):
    status_cols = [("Timestamp", "datetime"), ("Severity", "int"), ("SeverityName", "string"), ("StatusCode", "int"),
                   ("StatusDescription", "string"), ("Count", "int"), ("RequestId", "guid"), ("ActivityId", "guid"),
                   ("SubActivityId", "guid"), ("ClientActivityId", "string")]
    status = [["2019-03-02T00:00:00.0000000Z", 4, "Info", 0, "Query completed successfully", 1,
               "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
               "00000000-0000-0000-0000-000000000003", "sqlhunt"]]
    if error:
        status.insert(0, ["2019-03-02T00:00:00.0000000Z", 2, "Error", -2133196797, error[1], 1,
                          "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
                          "00000000-0000-0000-0000-000000000003", "sqlhunt"])

    def tbl(name, cs, rs):
        return {"TableName": name, "Columns": [{"ColumnName": n, "DataType": NET_TYPES.get(t, "String"), "ColumnType": t}
                                               for n, t in cs], "Rows": rs}
    return {"Tables": [
        tbl("Table_0", cols, rows_json(cols, rows, "adx")),
        tbl("Table_1", [("Value", "string")], [["{\"Visualization\":null}"]]),
        tbl("Table_2", status_cols, status),
        tbl("Table_3", [("Ordinal", "long"), ("Kind", "string"), ("Name", "string"), ("Id", "string"), ("PrettyName", "string")],
            [[0, "QueryResult", "PrimaryResult", "a0", ""], [1, "QueryProperties", "@ExtendedProperties", "a1", ""],
             [2, "QueryStatus", "QueryStatus", "a2", ""]])]}


def la_query_error(kind, message):
    inner = {"code": "SyntaxError", "message": "A recognition error occurred in the query.",
             "innererror": {"code": "SYN0002", "message": message}} if kind == "syntax" else \
            {"code": "SemanticError", "message": "A semantic error occurred.",
             "innererror": {"code": "SEM0100", "message": message}}
    return {"error": {"message": "The request had some invalid properties", "code": "BadArgumentError",
                      "correlationId": "00000000-0000-0000-0000-000000000000", "innererror": inner}}


def adx_query_error(kind, message):
    return {"error": {"code": "General_BadRequest", "message": "Request is invalid and cannot be executed.",
                      "@type": "Kusto.Data.Exceptions." + ("SyntaxException" if kind == "syntax" else "SemanticException"),
                      "@message": ("Syntax error: " if kind == "syntax" else "Semantic error: ") + message,
                      "@permanent": True}}


# ---- HTTP ----------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status, body, headers=None, memo_key=None):
        extra = dict(headers or {})
        gz = "gzip" in self.headers.get("Accept-Encoding", "")
        if memo_key is not None and (memo_key, gz) in MEMO:  # the same request made before
            data, extra = MEMO[(memo_key, gz)]
        else:
            data = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
            if len(data) > 1024 and gz:
                data = gzip.compress(data, compresslevel=1)
                extra["Content-Encoding"] = "gzip"
            if memo_key is not None:
                MEMO[(memo_key, gz)] = (data, dict(extra))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_stats":
            with LOCK:
                return self.send(200, {k: STATE[k] for k in ("requests", "token_requests", "queries", "scopes")})
        if path == "/_reset":
            with LOCK:
                STATE.update({"requests": 0, "token_requests": 0, "queries": [], "scopes": [], "issued": {},
                              "seen_throttled": False})
            return self.send(200, {"ok": True})
        return self.send(404, {"error": {"code": "NotFound", "message": "no such route"}})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_POST(self):
        raw = self.body()
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_config":
            with LOCK:
                CONFIG.update(json.loads(raw or b"{}"))
            return self.send(200, CONFIG)
        if CONFIG["delay_ms"]:
            time.sleep(CONFIG["delay_ms"] / 1000)
        m = re.match(r"^/([^/]+)/oauth2/v2\.0/token$", path)
        if m:
            return self.token(m.group(1), raw)
        m = re.match(r"^/v1/workspaces/([^/]+)/query$", path)
        if m:
            return self.query("la", urllib.parse.unquote(m.group(1)), raw)
        m = re.match(r"^/adx/([^/]+)/(v1|v2)/rest/query$", path)
        if m:
            return self.query("adx_" + m.group(2), m.group(1), raw)
        return self.send(404, {"error": {"code": "PathNotFoundError", "message": "The requested path does not exist"}})

    def token(self, tenant, raw):
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        with LOCK:
            STATE["token_requests"] += 1
            STATE["scopes"].append(form.get("scope", ""))
        if ARGS.tenant and tenant != ARGS.tenant:
            return self.send(400, {"error": "invalid_request", "error_description":
                                   f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID."})
        if form.get("grant_type") != "client_credentials":
            return self.send(400, {"error": "unsupported_grant_type", "error_description": "AADSTS70003: grant_type unsupported"})
        if form.get("client_id") != ARGS.client_id or form.get("client_secret") != ARGS.client_secret:
            return self.send(401, {"error": "invalid_client", "error_description":
                                   "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."})
        with LOCK:
            n = len(STATE["issued"]) + 1
            tok = "eyJ0eXAiOiJKV1Qi.stub-token-%d.sig" % n
            valid = CONFIG["token_valid"] if CONFIG["token_valid"] is not None else CONFIG["token_life"]
            STATE["issued"][tok] = time.monotonic() + float(valid)
        return self.send(200, {"token_type": "Bearer", "expires_in": int(CONFIG["token_life"]),
                               "ext_expires_in": int(CONFIG["token_life"]), "access_token": tok})

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            self.send(401, {"error": {"code": "AuthenticationFailed",
                                      "message": "Authentication failed. The 'Authorization' header is missing."}})
            return False
        tok = auth[7:]
        if ARGS.token and tok == ARGS.token:
            return True
        with LOCK:
            until = STATE["issued"].get(tok)
        if until is not None and time.monotonic() < until:
            return True
        if until is not None:
            self.send(401, {"error": {"code": "InvalidAuthenticationToken", "message": "The access token expired."}})
        else:
            self.send(403, {"error": {"code": "InvalidAuthenticationToken", "message": "The access token is invalid."}})
        return False

    def query(self, dialect, where, raw):
        try:
            req = json.loads(raw or b"{}")
        except ValueError:
            return self.send(400, {"error": {"code": "BadArgumentError", "message": "The request body is not JSON"}})
        kql = req.get("query") if dialect == "la" else req.get("csl")
        with LOCK:
            STATE["requests"] += 1
            STATE["queries"].append({"path": self.path, "kql": kql, "timespan": req.get("timespan"), "db": req.get("db")})
        if not self.authorized():
            return
        if dialect == "la" and where == "missing-ws":
            return self.send(404, {"error": {"code": "WorkspaceNotFoundError",
                                             "message": f"Workspace '{where}' could not be found"}})
        if dialect == "la" and where == "forbidden-ws":
            return self.send(403, {"error": {"code": "InsufficientAccessError",
                                             "message": "The provided credentials have insufficient access to perform the requested operation"}})
        if dialect == "la" and where == "samples" and SAMPLES is None:
            return self.send(404, {"error": {"code": "WorkspaceNotFoundError",
                                             "message": "Workspace 'samples' needs the stub's --samples"}})
        if dialect != "la" and req.get("db") != "Samples":
            return self.send(400, adx_query_error("semantic", f"Entity ID '{req.get('db')}' of kind 'Database' was not found"))
        if not isinstance(kql, str) or not kql.strip():
            return self.send(400, la_query_error("syntax", "The query is empty"))
        memo_key = (self.path, raw) if CONFIG["memo"] else None
        if memo_key is not None and (memo_key, "gzip" in self.headers.get("Accept-Encoding", "")) in MEMO:
            return self.send(200, b"", memo_key=memo_key)
        first = re.match(r"\s*([A-Za-z_0-9]+)", kql)
        name = first.group(1) if first else ""
        if name == "Slow":
            time.sleep(float(CONFIG["slow_seconds"]))
        if name == "Throttled":
            with LOCK:
                seen, STATE["seen_throttled"] = STATE["seen_throttled"], True
            if not seen:
                return self.send(429, {"error": {"code": "ThrottledError", "message": "Too many requests"}}, {"Retry-After": "1"})
        if name == "Throttled120":
            return self.send(429, {"error": {"code": "ThrottledError", "message": "Too many requests"}}, {"Retry-After": "120"})
        if name == "Boom":
            return self.send(500, {"error": {"code": "InternalServerError", "message": "Something went wrong (correlation 7)"}})
        if name == "Garbage":
            return self.send(200, b"<html><body>Service Unavailable</body></html>")
        try:
            cols, rows = run_query(kql, SAMPLES if dialect == "la" and where == "samples" else None)
        except KqlError as e:
            return self.send(400, la_query_error(e.kind, str(e)) if dialect == "la" else adx_query_error(e.kind, str(e)))
        except Exception as e:  # a bug here: say so rather than drop the connection
            return self.send(500, {"error": {"code": "StubError", "message": f"{type(e).__name__}: {e}"}})
        if dialect == "la" and where == "ws-reordered":
            # The same table whose columns come in another order (workspaces differ).
            cols, rows = cols[::-1], [r[::-1] for r in rows]
        error = None
        cap = int(CONFIG["row_cap"])
        if len(rows) > cap:
            rows = rows[:cap]
            error = ("-2133196797", CUT_MESSAGE.format(cap))
        elif name == "Partial":
            error = ("-2133196763", "Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION). (message: 'bad allocation')")
        if dialect == "la":
            return self.send(200, la_answer(cols, rows, error), memo_key=memo_key)
        if dialect == "adx_v2":
            return self.send(200, adx_v2_answer(cols, rows, error), memo_key=memo_key)
        return self.send(200, adx_v1_answer(cols, rows, error), memo_key=memo_key)


def main():
    global ARGS, TABLES, AUDIT_SAMPLE, SAMPLES
    ap = argparse.ArgumentParser()
    ap.add_argument("--token", default="")
    ap.add_argument("--tenant", default="")
    ap.add_argument("--client-id", default="")
    ap.add_argument("--client-secret", default="")
    ap.add_argument("--row-cap", type=int, default=500_000)
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--audit-sample", default=None)
    ap.add_argument("--samples", default=None)
    ARGS = ap.parse_args()
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    AUDIT_SAMPLE = ARGS.audit_sample or os.path.join(here, "..", "fixtures", "audit", "sample.log")
    CONFIG["row_cap"] = ARGS.row_cap
    CONFIG["delay_ms"] = ARGS.delay_ms
    TABLES = build_tables()
    if ARGS.samples:
        SAMPLES = {name: sample_table(os.path.join(ARGS.samples, f)) for name, f in SAMPLE_FILES.items()}
    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A client that gave up (a timeout test, a reply past its size cap) resets the
            # connection: expected, not worth a traceback.
            if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    # Stop when the parent closes our stdin (a test that dies leaves no server behind).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
