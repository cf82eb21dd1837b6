// vtabs/win_events/event_model.h — an EventRecord as win_events' typed columns.
//
// The same rules for every source (EVTX, Sentinel SecurityEvent, winlogbeat, Get-WinEvent
// JSON), so a logon id, a process id or a GUID joins whatever file it came from:
//
//   subject_user_sid/_user/_domain/_logon_id  SubjectUserSid, SubjectUserName, ...;
//                     Sysmon: User ("NT AUTHORITY\SYSTEM" split) and LogonId
//   target_user_sid/_user/_domain/_logon_id   TargetUserSid (or TargetSid: the group of
//                     4728/4732), TargetUserName, TargetDomainName, TargetLogonId
//   A user name that is absent or "-" is taken from a well-known SID (S-1-5-18 gives
//   user SYSTEM, domain NT AUTHORITY; S-1-5-21-...-500 gives Administrator).
//   logon ids         integers, from 0x3e7, 0x00000000000003E7 or 999 alike; 0 is NULL
//                     (no logon session)
//   logon_type(_name) LogonType, "Interactive", "Network", "RemoteInteractive" ...
//   ip_address        IpAddress (or ClientAddress); "-" is NULL, ::ffff:1.2.3.4 is 1.2.3.4
//   ip_port           IpPort (or ClientPort), an integer; "-" is NULL
//   workstation       WorkstationName (or Workstation); "-" is NULL
//   status, sub_status  Status, SubStatus as 0xc000006d (lower-case, 8 digits), with
//                     status_name/sub_status_name ("bad user name or password");
//                     Kerberos events name their Kerberos result codes
//   failure_reason    FailureReason's message (%%2313: "Unknown user name or bad password.")
//   process_id ...    4688: NewProcessId, ProcessId (the parent), NewProcessName,
//                     ParentProcessName. Sysmon: ProcessId, ParentProcessId, Image,
//                     ParentImage, ProcessGuid, ParentProcessGuid (10 and 8: the source
//                     process). Others: ProcessId/ProcessID/CallerProcessId and
//                     ProcessName/Application/CallerProcessName (the acting process).
//                     Integers whether the source writes 0x1a2c or 6700.
//   process_guid ...  lower case with braces, {94f748d5-4a45-5a42-0000-0010d265f20f}
//                     (EVTX renders GUIDs upper-case, winlogbeat lower-case)
//   token_elevation   TokenElevationType's message (%%1936: "TokenElevationTypeDefault (1)")
//   activity          the event's title by provider and id, else the export's Activity
//                     with its "4624 - " prefix removed
// Values are kept as the source writes them in event_data; only the columns normalise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vtabs/win_events/event_record.h"

namespace sqlhunt::winevt {

using Str = std::optional<std::string_view>;

// What a query reads, so unread columns cost nothing.
enum Need : unsigned {
  kNeedSystem = 1u << 0,  // time, event id, computer, channel, provider, record id ...
  kNeedFields = 1u << 1,  // the typed columns made from EventData
  kNeedJson = 1u << 2,    // event_data
  kNeedAll = 0xffffffffu,
};

struct WinEvent {
  std::optional<int64_t> time_ms, event_id, record_id, level, subject_logon_id,
      target_logon_id, logon_type, ip_port, process_id, parent_process_id;
  std::optional<double> epoch;
  Str computer, channel, provider, activity, user_sid, subject_user_sid, subject_user,
      subject_domain, target_user_sid, target_user, target_domain, logon_type_name,
      ip_address, workstation, status, status_name, sub_status, sub_status_name,
      failure_reason, process_name, parent_process_name, command_line, token_elevation,
      process_guid, parent_process_guid;
  std::string event_data;  // JSON; empty when not asked for or the source had none

  WinEvent() = default;
  // Some views point into the event's own buffers: a copy would point into the original.
  WinEvent(const WinEvent&) = delete;
  WinEvent& operator=(const WinEvent&) = delete;
  void clear();

 private:
  friend class Normaliser;
  std::string status_buf_, sub_status_buf_, guid_buf_, parent_guid_buf_;
};

class Normaliser {
 public:
  // Fills `out` from `ev` (which must outlive `out`'s views). `activity_text` is an
  // export's own Activity column, used when the event id has no known title.
  void run(const EventRecord& ev, unsigned need, WinEvent& out, Str activity_text = std::nullopt);

 private:
  void index(const EventRecord& ev);
  Str get(int key) const;  // keys: the EventData names columns come from (event_model.cpp)
  static constexpr int kKeys = 48;
  std::string_view values_[kKeys];
  bool has_[kKeys];
};

}  // namespace sqlhunt::winevt
