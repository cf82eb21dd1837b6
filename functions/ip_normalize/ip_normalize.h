// functions/ip_normalize — one spelling for an IP address, whatever a log wrapped it in.
//
//   SELECT ip_normalize('[2603:1036:4:3F::5]:1672');   -- 2603:1036:4:3f::5
//   SELECT ip_normalize('175.45.176.99:17362');        -- 175.45.176.99
//   SELECT ip_normalize('::ffff:10.0.0.4');            -- 10.0.0.4
//   SELECT ip_normalize('fe80::1%eth0');               -- fe80::1
//   SELECT ip_normalize('localhost');                  -- NULL
//
// ip_normalize(text) -> TEXT or NULL. Blanks, brackets, a ":port", a "%zone" and the
// IPv4-mapped "::ffff:" prefix are removed; IPv4 is a dotted quad, IPv6 the RFC 5952
// form (lower case, the longest run of zero groups compressed). Anything that holds no
// address (a host name, a CIDR range, "-", an octal-looking "010.1.1.1") is NULL, as is
// NULL. The rules are core/ip.h's (parse_endpoint), the same every table applies to the
// addresses it reads (office_activity.client_ip, net_flows.src_ip...), so a normalised
// value from one source joins the columns of any other:
//
//   SELECT ... FROM iocs(report) i JOIN office_activity('case/o365.csv') o
//     ON o.client_ip = ip_normalize(i.value);
//
// A pure function of its argument: SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, usable in
// indexes, generated columns, views and triggers.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_ip_normalize(sqlite3* db);
}
