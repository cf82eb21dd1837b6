#!/usr/bin/python3
"""A local stand-in for the threat-intel providers, for tests and benchmarks only.

    provider_stub.py [--key KEY] [--delay-ms N]

Listens on 127.0.0.1, on a port the system picks, and prints "PORT <n>" on its first
line of stdout. It never contacts anything. Routes, each answering in the provider's
documented JSON format (only the fields sqlhunt reads, plus a few around them):

    /vt/ip_addresses/<ip>  /vt/domains/<d>  /vt/files/<hash>  /vt/urls/<id>
                                  VirusTotal v3: data.attributes.last_analysis_stats
    /abuseipdb/check?ipAddress=   AbuseIPDB v2: data.abuseConfidenceScore
    /otx/indicators/<T>/<obs>/general   OTX v1: pulse_info.count, pulses
    /greynoise/<ip>               GreyNoise community v3: noise, riot, classification
    /rdap/ip/<ip>                 RDAP (RFC 9083) "ip network" object; no key
    /_stats                       {"requests": N, "paths": {path: count}} (not counted)
    /_reset                       sets the counters to 0

Every provider route checks its key header (x-apikey, Key, X-OTX-API-KEY, key) against
--key and answers 401 in the provider's error format when it differs.

What is answered depends on the observable, so one server serves every case:
    6.6.6.*  evil.example.com  hashes starting eeeeeeee
                                              malicious (VT 5 engines, AbuseIPDB 100,
                                              OTX 3 pulses, GreyNoise malicious)
    5.5.5.*                                   one hit (VT 1, AbuseIPDB 25, OTX 1 pulse)
    4.4.4.*  missing.example.com              404 in the provider's format
    9.9.9.1  429 with Retry-After: 1 on the first request for it, then clean
    9.9.9.2  500
    9.9.9.3  a reply after 5 s (past a short http.timeout)
    9.9.9.4  malformed JSON
    9.9.9.5  302 redirect to /elsewhere (RDAP: to /rdap/ip/9.9.9.50, which answers)
    9.9.9.6  429 with Retry-After: 120 every time
    9.9.9.7  403 whose message repeats the key it was sent (a careless server)
    anything else                             clean (nothing malicious)
--delay-ms delays every reply (latency for concurrency tests and benchmarks).
"""
import argparse
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {"requests": 0, "paths": {}}
SEEN_429 = set()


def verdict(obs: str) -> str:
    if obs.startswith("6.6.6.") or obs == "evil.example.com" or (len(obs) >= 32 and obs.lower().startswith("eeeeeeee")):
        return "malicious"
    if obs.startswith("5.5.5."):
        return "suspicious"
    if obs.startswith("4.4.4.") or obs == "missing.example.com":
        return "missing"
    return "clean"


def vt_body(obs: str, v: str) -> dict:
    mal = {"malicious": 5, "suspicious": 1}.get(v, 0)
    return {"data": {"id": obs, "type": "ip_address", "links": {"self": f"/api/v3/ip_addresses/{obs}"},
                     "attributes": {
                         "last_analysis_stats": {"harmless": 60, "malicious": mal, "suspicious": 0,
                                                 "undetected": 25 - mal, "timeout": 0},
                         "reputation": -10 * mal, "country": "US", "asn": 64500,
                         "as_owner": "Example AS", "network": "6.6.6.0/24",
                         "last_analysis_date": 1700000000}}}


def abuse_body(obs: str, v: str) -> dict:
    score = {"malicious": 100, "suspicious": 25}.get(v, 0)
    return {"data": {"ipAddress": obs, "isPublic": True, "ipVersion": 6 if ":" in obs else 4,
                     "isWhitelisted": False, "abuseConfidenceScore": score, "countryCode": "US",
                     "usageType": "Data Center/Web Hosting/Transit", "isp": "Example ISP",
                     "domain": "example.net", "hostnames": [], "isTor": False,
                     "totalReports": score * 3, "numDistinctUsers": score,
                     "lastReportedAt": "2024-01-01T00:00:00+00:00" if score else None}}


def otx_body(obs: str, v: str) -> dict:
    n = {"malicious": 3, "suspicious": 1}.get(v, 0)
    pulses = [{"id": f"p{i}", "name": f"Pulse {i} about {obs}", "tags": ["scanner", f"tag{i}"],
               "references": []} for i in range(n)]
    return {"indicator": obs, "type": "IPv4", "type_title": "IPv4", "reputation": 0,
            "pulse_info": {"count": n, "pulses": pulses, "references": [], "related": {}},
            "sections": ["general", "geo", "reputation", "url_list", "passive_dns"]}


def rdap_body(obs: str) -> dict:
    v6 = ":" in obs
    prefix = obs.rsplit(".", 1)[0] + ".0" if not v6 else obs.split("::")[0] + "::"
    length = 48 if v6 else 24
    return {
        "rdapConformance": ["rdap_level_0", "cidr0"], "objectClassName": "ip network",
        "handle": f"NET-{prefix}-1", "startAddress": prefix,
        "endAddress": (prefix.rsplit(".", 1)[0] + ".255") if not v6 else prefix + "ffff:ffff:ffff:ffff:ffff",
        "ipVersion": "v6" if v6 else "v4", "name": "REDIRECTED-NET" if obs == "9.9.9.50" else "EXAMPLE-NET",
        "type": "DIRECT ALLOCATION", "country": "US",
        "cidr0_cidrs": [{("v6prefix" if v6 else "v4prefix"): prefix, "length": length}],
        "events": [{"eventAction": "registration", "eventDate": "1994-02-01T00:00:00-05:00"},
                   {"eventAction": "last changed", "eventDate": "2020-06-01T12:00:00Z"}],
        "entities": [
            {"objectClassName": "entity", "handle": "ABUSE-1", "roles": ["abuse"],
             "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse Desk"]]]},
            {"objectClassName": "entity", "handle": "EXORG-1", "roles": ["registrant"],
             "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example Org, Inc."],
                                      ["kind", {}, "text", "org"]]]}],
    }


def gn_body(obs: str, v: str):
    if v == "missing":
        return 404, {"ip": obs, "noise": False, "riot": False,
                     "message": "IP not observed scanning the internet or contained in RIOT data set."}
    cls = "malicious" if v == "malicious" else "benign" if v == "clean" else "unknown"
    return 200, {"ip": obs, "noise": v != "clean", "riot": v == "clean", "classification": cls,
                 "name": "Example Scanner" if v != "clean" else "Example CDN",
                 "link": f"https://viz.greynoise.io/ip/{obs}", "last_seen": "2024-01-01",
                 "message": "Success"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a keep-alive client would
    # wait for the delayed ACK (40 ms) on every reply.
    disable_nagle_algorithm = True
    key = ""
    delay = 0.0

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status: int, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if path == "/_stats":
            with LOCK:
                return self.send(200, STATS)
        if path == "/_reset":
            with LOCK:
                STATS["requests"] = 0
                STATS["paths"] = {}
                SEEN_429.clear()
            return self.send(200, {"ok": True})
        with LOCK:
            STATS["requests"] += 1
            STATS["paths"][path] = STATS["paths"].get(path, 0) + 1
        if self.delay:
            time.sleep(self.delay)

        parts = [p for p in path.split("/") if p]
        if not parts:
            return self.send(404, {"message": "no such route"})
        provider = parts[0]
        if provider == "rdap" and len(parts) == 3 and parts[1] == "ip":
            obs = parts[2]
            if verdict(obs) == "missing":
                return self.send(404, {"errorCode": 404, "title": "Not Found", "description": ["no network"]})
            if obs == "9.9.9.5":
                return self.send(302, {}, {"Location": "/rdap/ip/9.9.9.50"})
            if obs == "9.9.9.4":
                return self.send(200, b'{"objectClassName": "ip network", ')
            if obs == "9.9.9.2":
                return self.send(500, {"errorCode": 500, "title": "Internal Server Error"})
            return self.send(200, rdap_body(obs))
        header = {"vt": "x-apikey", "abuseipdb": "Key", "otx": "X-OTX-API-KEY", "greynoise": "key"}.get(provider)
        if header is None:
            return self.send(404, {"message": "no such route"})
        if provider == "abuseipdb":
            obs = urllib.parse.parse_qs(url.query).get("ipAddress", [""])[0]
        elif provider == "otx":
            obs = parts[3] if len(parts) > 3 else ""
        elif provider == "vt" and len(parts) > 2 and parts[1] == "urls":
            obs = parts[2]
        else:
            obs = parts[-1]
        if self.headers.get(header) != self.key:
            if provider == "vt":
                return self.send(401, {"error": {"code": "WrongCredentialsError", "message": "Wrong API key"}})
            if provider == "abuseipdb":
                return self.send(401, {"errors": [{"detail": "Authentication failed. Your API key is either missing, "
                                                              "incorrect, or revoked.", "status": 401}]})
            return self.send(401, {"message": "invalid API key"})

        if obs == "9.9.9.1":
            with LOCK:
                first = obs + provider not in SEEN_429
                SEEN_429.add(obs + provider)
            if first:
                return self.send(429, {"error": {"code": "QuotaExceededError", "message": "slow down"}},
                                 {"Retry-After": "1"})
        if obs == "9.9.9.6":
            return self.send(429, {"error": {"code": "QuotaExceededError", "message": "quota"}},
                             {"Retry-After": "120"})
        if obs == "9.9.9.7":
            return self.send(403, {"error": {"code": "ForbiddenError",
                                             "message": f"key {self.headers.get(header)} may not do this"}})
        if obs == "9.9.9.2":
            return self.send(500, {"error": {"code": "InternalError", "message": "server exploded"}})
        if obs == "9.9.9.3":
            time.sleep(5)
        if obs == "9.9.9.4":
            return self.send(200, b'{"data": {"attributes": {"last_analysis_stats": {"malicious": 1,')
        if obs == "9.9.9.5":
            return self.send(302, {"moved": True}, {"Location": "/elsewhere"})

        v = verdict(obs)
        if provider == "greynoise":
            status, body = gn_body(obs, v)
            return self.send(status, body)
        if v == "missing":
            if provider == "vt":
                return self.send(404, {"error": {"code": "NotFoundError", "message": f"Resource {obs} not found"}})
            return self.send(404, {"detail": "endpoint not found"})
        if provider == "vt":
            return self.send(200, vt_body(obs, v))
        if provider == "abuseipdb":
            return self.send(200, abuse_body(obs, v))
        return self.send(200, otx_body(obs, v))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", default="test-key-0123456789")
    ap.add_argument("--delay-ms", type=float, default=0)
    args = ap.parse_args()
    Handler.key = args.key
    Handler.delay = args.delay_ms / 1000.0
    ThreadingHTTPServer.request_queue_size = 512
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    # Stops by itself when its parent closes stdin (or after an hour at most).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    timer = threading.Timer(3600, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
