// extension/registry.cpp — the one list of every table and function sqlhunt adds.
//
// A new module adds its header here and one line to kModules; nothing else in
// extension/ changes. Modules that reach the network are listed under
// SQLHUNT_NETWORK so the no-network build (cmake -DSQLHUNT_NETWORK=OFF) leaves them
// out entirely.
#include "extension/registry.h"

#include "extension/build_info.h"
#include "functions/audit_fields/audit_fields.h"
#include "functions/charts/charts.h"
#include "functions/clustering/clustering.h"
#include "functions/hex_decode/hex_decode.h"
#include "functions/iocs/iocs.h"
#include "functions/ip_normalize/ip_normalize.h"
#include "functions/process_tree/process_tree.h"
#include "functions/sqlhunt_columns/sqlhunt_columns.h"
#include "functions/sqlhunt_config/sqlhunt_config.h"
#include "vtabs/alerts/alerts_vtab.h"
#include "vtabs/audit_events/audit_events_vtab.h"
#include "vtabs/ip_enrichment/ip_enrichment_vtab.h"
#ifdef SQLHUNT_NETWORK
#include "vtabs/kql/kql_vtab.h"
#endif
#include "vtabs/net_flows/net_flows_vtab.h"
#include "vtabs/office_activity/office_activity_vtab.h"
#include "vtabs/ti_lookup/ti_lookup_vtab.h"
#include "vtabs/win_events/win_events_vtab.h"

namespace sqlhunt {
namespace {

struct Registration {
  const char* what;  // named in the error if registration fails
  int (*add)(sqlite3* db);
};

const Registration kModules[] = {
    {"sqlhunt_version, sqlhunt_debug", register_build_info},
    {"hex_decode", register_hex_decode},
    {"extract_iocs, iocs, ioc_refang, ioc_type, ip_class", register_iocs},
    {"ip_normalize", register_ip_normalize},
    {"audit_events, audit_records, audit_events_from", register_audit_events},
    {"audit_fields, audit_decode", register_audit_fields},
    {"alerts, alert_entities", register_alerts},
    {"win_events", register_win_events},
    {"office_activity", register_office_activity},
    {"net_flows", register_net_flows},
    {"sqlhunt_config, sqlhunt_cache_clear, sqlhunt_settings", register_sqlhunt_config},
    {"sqlhunt_columns, sqlhunt_tables", register_sqlhunt_columns},
    {"cmdline_pattern, dbscan", register_clustering},
    {"process_tree", register_process_tree},
    {"svg_timeline, svg_tree, svg_bars, svg_map", register_charts},
    // GeoIP, ASN and local TI work without the network; the remote providers inside
    // them are compiled only with SQLHUNT_NETWORK.
    {"ip_enrichment", register_ip_enrichment},
    {"ti_lookup", register_ti_lookup},
#ifdef SQLHUNT_NETWORK
    {"kql, adx, kql_last_query, kql_last_status", register_kql},
#endif
};

}  // namespace

int register_all(sqlite3* db, char** err) {
  for (const auto& m : kModules) {
    const int rc = m.add(db);
    if (rc != SQLITE_OK) {
      if (err) *err = sqlite3_mprintf("sqlhunt: cannot register %s: %s", m.what, sqlite3_errmsg(db));
      return rc;
    }
  }
  return SQLITE_OK;
}

}  // namespace sqlhunt
