#include "core/offline.h"

#include "core/config.h"

namespace sqlhunt::net {

// Registered in every build, the no-network one included (where it changes nothing),
// so a script that sets it runs anywhere.
const config::Registration kSettings({
    {"offline", "SQLHUNT_OFFLINE", "0", config::Kind::kFlag, true, 0, 0,
     "1: nothing leaves the machine (reverse DNS, RDAP, remote threat intel, SIEM queries get status 'offline'); local sources still answer."},
});

bool offline() { return config::get_flag("offline"); }

}  // namespace sqlhunt::net
