// vtabs/ip_enrichment — what is known about an IP address: its class, GeoIP location,
// autonomous system and threat-intel verdicts, one row per address.
//
//   SELECT * FROM ip_enrichment WHERE ip = '23.97.60.214';
//   SELECT ip, country, as_org FROM ip_enrichment WHERE ip IN (SELECT addr FROM logins);
//   SELECT l.addr, g.country FROM logins l JOIN ip_enrichment g ON g.ip = l.addr;
//
// ip            TEXT     required: `ip = ...` or `ip IN (...)`; the value as given
// version       INTEGER  4 or 6 (NULL when ip is not an address)
// class         TEXT     as ip_class(): public private loopback link-local multicast
//                        reserved shared documentation unspecified
// country_code  TEXT     ISO 3166-1 alpha-2          (GeoIP)
// country       TEXT     English short name          (GeoIP)
// region        TEXT     state / province            (GeoIP)
// city          TEXT                                 (GeoIP)
// latitude      REAL                                 (GeoIP)
// longitude     REAL                                 (GeoIP)
// asn           INTEGER  autonomous system number    (ASN ranges)
// as_org        TEXT     its organisation            (ASN ranges)
// network       TEXT     the largest CIDR block holding ip inside the AS's range
// rdns          TEXT     reverse DNS (PTR) name         (c-ares; dns.server)
// rdap_name     TEXT     RDAP network name              (RDAP: IANA bootstrap picks
// rdap_org      TEXT     registrant organisation         the registry; rdap.url
// rdap_country  TEXT     country                         overrides it from the
// rdap_network  TEXT     network (CIDR)                  environment)
// rdap_created  TEXT     registration date (ISO UTC)
// ti_severity   TEXT     highest TI severity over the providers that answered:
//                        unknown information warning high
// ti            TEXT     JSON: {provider: {status, severity, result, reference}}
// status        TEXT     JSON: what each source asked said ({"geoip":"ok",
//                        "asn":"not_found","ti":{"virustotal":"not_configured"}, ...}) or why
//                        it was not asked
// cached        INTEGER  1: every remote answer came from the cache; 0: at least one
//                        was fetched now; NULL: no remote source was asked
//
// Only the sources whose columns the query reads are asked (SELECT country asks
// GeoIP only; status and cached ask every source). Addresses that are not public get
// their class and no lookup but the local indicator files. Reverse DNS, RDAP and
// remote TI answers are cached (core/cache.h); the no-network build has GeoIP, ASN,
// local TI and says "not asked" for the rest. `ip IN (...)` is one batch: TI requests run concurrently;
// a join looks up one outer row at a time, so `WHERE ip IN (SELECT ...)` is the
// batched form. A value that is not an address gives a row whose status says so.
// Direct-only (SQLITE_VTAB_DIRECTONLY). Settings: docs/config.md; docs/ip_enrichment.md.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_ip_enrichment(sqlite3* db);
}
