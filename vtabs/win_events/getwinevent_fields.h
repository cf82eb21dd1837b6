// vtabs/win_events/getwinevent_fields.h — EventData names for values that lost them.
//
// `Get-WinEvent | ConvertTo-Json` writes an event's EventData as Properties, a list of
// values in template order without their names. For the events an investigation reads
// (logons, process creation and exit, account management, Sysmon process and network
// events) the names of each version's template are known: Microsoft's event reference
// and Sysmon's schema, checked against the templates of the shared EVTX samples where
// they hold the event (4624 v0, 4625, 4634, 4647, 4648, 4672, 4720, 4722-4724, 4728,
// 4732, 4738, 4776; Sysmon 1 v3, 3 v4). A version is recognised by its value count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sqlhunt::winevt {

// The names of `count` Properties of event `event_id` (Sysmon's ids when `sysmon`), or
// nullptr when no known version of the event has that many.
const std::string_view* property_names(bool sysmon, int64_t event_id, size_t count);

}  // namespace sqlhunt::winevt
