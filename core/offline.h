// core/offline.h — one switch that keeps every query on this machine.
//
// Looking an attacker's address up on outside services can tip the attacker off, and
// many analysts work on isolated machines. With `SQLHUNT_OFFLINE=1` in the environment
// or `sqlhunt_config('offline', 1)` for the session, nothing leaves the machine:
// reverse DNS, RDAP, every remote threat-intel provider and the SIEM query tables give
// their rows status `offline` instead of asking, and local sources (GeoIP, ASN, local
// indicator files, files) answer as usual. The check is made by each remote source and
// again by core/http and core/dns themselves, so a source that forgot it still sends
// nothing.
#pragma once

namespace sqlhunt::net {

// The `offline` setting is on.
bool offline();

// The status a remote source gives a row it did not ask about because of the switch,
// and the detail that says how to turn it off.
inline constexpr const char* kOfflineStatus = "offline";
inline constexpr const char* kOfflineDetail =
    "not asked: sqlhunt is offline (SQLHUNT_OFFLINE / sqlhunt_config('offline', 0) to allow remote lookups)";

}  // namespace sqlhunt::net
