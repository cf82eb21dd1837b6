// The settings of audit_events (see core/config.h for the mechanism, docs/config.md for
// the list): the host files that name ids, and the threads a scan uses.
#include "core/config.h"

namespace sqlhunt::audit {

const config::Registration kSettings({
    {"audit.passwd", "SQLHUNT_AUDIT_PASSWD", "", config::Kind::kPath, true, 0, 0,
     "passwd file of the host that wrote the audit log: names uid/auid (uid_name, auid_name, account) when the "
     "log has no ENRICHED names."},
    {"audit.group", "SQLHUNT_AUDIT_GROUP", "", config::Kind::kPath, true, 0, 0,
     "group file of that host: names gid (gid_name) when the log has no ENRICHED names."},
    {"audit.threads", "SQLHUNT_AUDIT_THREADS", "2", config::Kind::kNumber, true, 1, 2,
     "Threads an audit_events scan uses: 2 reads and assembles events beside the query (faster on an idle "
     "machine), 1 does it all on the query's thread (less CPU in all)."},
});

}  // namespace sqlhunt::audit
