// vtabs/ti_lookup — what threat intelligence knows about an indicator, one row per
// provider.
//
//   SELECT * FROM ti_lookup WHERE observable = '185.220.101.1';
//   SELECT * FROM ti_lookup WHERE observable IN ('1.2.3.4', 'evil.example') AND provider = 'local';
//   SELECT * FROM ti_lookup WHERE observable = '44d88612fea8a8f36de82e1278abb02f' AND provider = 'otx';
//
// observable   TEXT     required: `=`, `IN (...)` (one concurrent batch); the value
//                       as given
// ioc_type     TEXT     what ioc_type() says the observable is (the one classifier,
//                       core/ioc); NULL when it is no single indicator
// provider     TEXT     local virustotal abuseipdb otx greynoise; `provider = ` /
//                       `IN (...)` asks only those
// status       TEXT     ok, not_found, not_configured (no key / no ti.local), skipped
//                       (not asked, status_detail says why), offline (the offline
//                       switch is on: cached answers only), quota, error
// status_detail TEXT    why (never a key)
// severity     TEXT     unknown information warning high (rules in providers.h / docs)
// result       TEXT     one line for people
// details      TEXT     JSON: the provider's main fields
// reference    TEXT     a link to the provider's page (file:line for local)
// raw          TEXT     JSON: the provider's whole reply (NULL when none)
// cached       INTEGER  1 when the answer came from the cache
// fetched_at   TEXT     when the answer was fetched (ISO UTC); NULL when nothing was
//
// One row per (observable, provider asked): `local` matches any value; a remote
// provider is asked about the observable's refanged value when it answers its type
// and, for an address, when the address is public; otherwise its row is `skipped`
// with the reason, so "not asked" never reads as "nothing found". The no-network
// build skips every remote provider. A failure is a row with its status, never a
// failed query. Only the unknown provider name and a broken indicator file are query
// errors.
// Direct-only (SQLITE_VTAB_DIRECTONLY): it reads files and the network.
// See docs/ti_lookup.md and docs/config.md.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_ti_lookup(sqlite3* db);
}
