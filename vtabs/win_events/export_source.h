// vtabs/win_events/export_source.h — Windows events from JSON and CSV exports.
//
// The file is read by core/record_stream (JSON lines, arrays, pretty-printed objects,
// envelopes, CSV with a header); each record is recognised by its keys, not the file's
// name, as one of:
//
//   SecurityEvent   Microsoft Sentinel / Log Analytics (EventID, TimeGenerated,
//                   Computer, EventSourceName, Channel, Activity, ...), as JSON or CSV,
//                   the msticpy projections included (host_logons.csv ...). EventData
//                   is its XML text, read with expat (xml_text.h); without it the
//                   EventProperties object, else the flattened EventData columns
//                   (SubjectUserName, TargetLogonId ...: every key that is not one of
//                   the table's own, and not empty)
//   winlogbeat      6.x (event_id, log_name, source_name, computer_name, record_number,
//                   event_data{}, user_data{}, user.identifier, @timestamp) and 7.x+
//                   ECS (winlog.event_id, winlog.channel, winlog.provider_name,
//                   winlog.computer_name, winlog.record_id, winlog.event_data{} ...)
//   Get-WinEvent    `Get-WinEvent | ConvertTo-Json` (Id, ProviderName, LogName,
//                   MachineName, RecordId, TimeCreated as "/Date(ms)/" or ISO, Level,
//                   UserId, Properties[]): an Xml/ToXml member holding the event's XML
//                   is read as XML. Otherwise Properties carry values without names;
//                   they are named for the events of getwinevent_fields.h when their
//                   count is that of a known version of the event, else param1, param2 ...
//
// A record that is none of these is a row with parse_error (and its raw JSON). Values
// are kept as the source writes them; time is TimeGenerated / @timestamp / TimeCreated.
#pragma once

#include <memory>
#include <string>

#include "vtabs/win_events/event_source.h"

namespace sqlhunt::records {
class Reader;
}

namespace sqlhunt::winevt {

// Reads `path` (or, with `reader` given, that record stream: tests and fuzzing).
std::unique_ptr<EventSource> export_event_source(std::unique_ptr<records::Reader> reader);

}  // namespace sqlhunt::winevt
