"""Both hosts' network flows as Azure NSG flow logs, version 2: one blob per network
security group and hour (network/<NSG>_<hour>.json, {"records": [...]}), one record
per minute, flows grouped by the rule that decided them, flow tuples
`ts,src,dst,sport,dport,proto,dir,decision,state,packets>,bytes>,packets<,bytes<`: a
`B` tuple when a flow begins (no counters), `C` each minute it goes on and `E` when it
ends (the counters so far), as Azure writes them.

The Linux and Windows parts add the connections their logs imply (each SSH guess, the
attacker's session, the wget, the C2 beacons, RDP, ftp); this part adds what every
Azure VM does (DNS and the agent's HTTPS to Azure) and writes the blobs.
"""
import json
import os
import time

from . import story as S

SUBSCRIPTION = "40DCC8BF-0478-4F3B-B275-ED0A94F2C013"
NSGS = {
    S.LINUX_PRIVATE_IP: ("MSTICALERTSLXVM2-NSG", "000D3A1F4E01"),
    S.WIN_PRIVATE_IP: ("MSTICALERTSWIN1-NSG", "000D3A1F4E02"),
}
WIRESERVER = "168.63.129.16"
AZURE_AGENT = ["13.71.172.130", "13.71.172.128"]


class Flows:
    def __init__(self, rng):
        self.rng = rng
        self.items = []

    def add(self, t, src, dst, dport, proto="T", duration=1.0, bytes_out=600, bytes_in=900, rule=None,
            allowed=True, sport=None):
        """A connection from src to dst; the VM's side decides the NSG and the direction."""
        vm = src if src in NSGS else dst
        direction = "O" if vm == src else "I"
        if rule is None:
            rule = ("UserRule_Allow" + ("SSH" if dport == 22 else "RDP" if dport == 3389 else "Inbound")
                    if direction == "I" else "DefaultRule_AllowInternetOutBound")
        sport = sport or self.rng.randrange(32768, 61000)
        self.items.append((t, vm, rule, src, dst, sport, dport, proto, direction, allowed, duration,
                           bytes_out, bytes_in))


def iso7(t):
    whole = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((t - whole) * 1e7):07d}Z"


def tuples(item):
    """(minute, tuple text) for each B/C/E tuple of one flow."""
    t, vm, rule, src, dst, sport, dport, proto, direction, allowed, duration, bo, bi = item
    head = f"{src},{dst},{sport},{dport},{proto},{direction},{'A' if allowed else 'D'}"
    out = [(int(t), f"{int(t)},{head},B,,,,")]
    if not allowed:
        return out
    end = t + duration
    minute = (int(t) // 60 + 1) * 60
    while minute < end:  # a status update each minute it is open, counters so far
        part = (minute - t) / duration
        out.append((minute, f"{minute},{head},C,{max(1, int(part * bo / 400))},{int(part * bo)},"
                            f"{max(1, int(part * bi / 900))},{int(part * bi)}"))
        minute += 60
    out.append((int(end), f"{int(end)},{head},E,{max(1, bo // 400)},{bo},{max(1, bi // 900)},{bi}"))
    return out


def background(flows, rng):
    for vm in NSGS:
        t = S.T_START + rng.uniform(0, 20)
        while t < S.T_END:
            flows.add(t, vm, WIRESERVER, 53, "U", 0.05, 74, 130)
            t += 60 + rng.uniform(-5, 5)
        t = S.T_START + rng.uniform(20, 60)
        while t < S.T_END:
            flows.add(t, vm, rng.choice(AZURE_AGENT), 443, "T", rng.uniform(0.5, 3), rng.randrange(2000, 9000),
                      rng.randrange(3000, 20000))
            t += 300 + rng.uniform(-10, 10)


def write(out, flows, rng):
    background(flows, rng)
    # (nsg, hour) -> minute -> rule -> [tuples]
    blobs = {}
    for item in flows.items:
        nsg, mac = NSGS[item[1]]
        for ts, text in tuples(item):
            if not (S.T_START <= ts < S.T_END):
                continue
            hour = ts - ts % 3600
            blobs.setdefault((nsg, mac, hour), {}).setdefault(ts - ts % 60, {}).setdefault(item[2], []).append((ts, text))
    d = os.path.join(out, "network")
    os.makedirs(d, exist_ok=True)
    for (nsg, mac, hour), minutes in sorted(blobs.items()):
        records = []
        for minute in sorted(minutes):
            rules = minutes[minute]
            records.append({
                "time": iso7(minute + 60 + 0.3899262),  # written when the minute is over
                "systemId": "66aa66aa-bb77-cc88-dd99-00ee00ee00ee",
                "macAddress": mac,
                "category": "NetworkSecurityGroupFlowEvent",
                "resourceId": f"/SUBSCRIPTIONS/{SUBSCRIPTION}/RESOURCEGROUPS/ASIHUNTOMSWORKSPACERG/PROVIDERS/"
                              f"MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/{nsg}",
                "operationName": "NetworkSecurityGroupFlowEvents",
                "properties": {"Version": 2, "flows": [
                    {"rule": rule, "flows": [{"mac": mac, "flowTuples": [t for _, t in sorted(rules[rule])]}]}
                    for rule in sorted(rules)]},
            })
        name = f"{nsg}_{time.strftime('%Y-%m-%dT%H', time.gmtime(hour))}.json"
        with open(os.path.join(d, name), "w", newline="\n") as f:
            json.dump({"records": records}, f, separators=(",", ":"))
            f.write("\n")
