#include "vtabs/win_events/event_model.h"

#include <cstdio>
#include <unordered_map>

#include "core/text.h"
#include "vtabs/win_events/event_names.h"

namespace sqlhunt::winevt {
namespace {

enum Key : int {
  kSubjectUserSid, kSubjectUserName, kSubjectDomainName, kSubjectLogonId, kTargetUserSid,
  kTargetSid, kTargetUserName, kTargetDomainName, kTargetLogonId, kLogonType, kIpAddress,
  kIpPort, kClientAddress, kClientPort, kWorkstationName, kWorkstation, kStatus, kSubStatus,
  kFailureReason, kNewProcessId, kNewProcessName, kProcessId, kProcessID, kProcessName,
  kParentProcessName, kParentProcessId, kCommandLine, kTokenElevationType, kProcessGuid,
  kParentProcessGuid, kImage, kParentImage, kUser, kLogonId, kApplication, kCallerProcessId,
  kCallerProcessName, kSourceProcessId, kSourceImage, kSourceProcessGuid, kKeyCount,
};

const std::unordered_map<std::string_view, Key>& keys() {
  static const std::unordered_map<std::string_view, Key> m = {
      {"SubjectUserSid", kSubjectUserSid}, {"SubjectUserName", kSubjectUserName},
      {"SubjectDomainName", kSubjectDomainName}, {"SubjectLogonId", kSubjectLogonId},
      {"TargetUserSid", kTargetUserSid}, {"TargetSid", kTargetSid},
      {"TargetUserName", kTargetUserName}, {"TargetDomainName", kTargetDomainName},
      {"TargetLogonId", kTargetLogonId}, {"LogonType", kLogonType}, {"IpAddress", kIpAddress},
      {"IpPort", kIpPort}, {"ClientAddress", kClientAddress}, {"ClientPort", kClientPort},
      {"WorkstationName", kWorkstationName}, {"Workstation", kWorkstation},
      {"Status", kStatus}, {"SubStatus", kSubStatus}, {"FailureReason", kFailureReason},
      {"NewProcessId", kNewProcessId}, {"NewProcessName", kNewProcessName},
      {"ProcessId", kProcessId}, {"ProcessID", kProcessID}, {"ProcessName", kProcessName},
      {"ParentProcessName", kParentProcessName}, {"ParentProcessId", kParentProcessId},
      {"CommandLine", kCommandLine}, {"TokenElevationType", kTokenElevationType},
      {"ProcessGuid", kProcessGuid}, {"ParentProcessGuid", kParentProcessGuid},
      {"Image", kImage}, {"ParentImage", kParentImage}, {"User", kUser}, {"LogonId", kLogonId},
      {"Application", kApplication}, {"CallerProcessId", kCallerProcessId},
      {"CallerProcessName", kCallerProcessName}, {"SourceProcessId", kSourceProcessId},
      {"SourceImage", kSourceImage}, {"SourceProcessGUID", kSourceProcessGuid},
      {"SourceProcessGuid", kSourceProcessGuid},
  };
  return m;
}

// "-" and "" stand for no value in Windows events.
Str present(Str s) {
  if (!s || s->empty() || *s == "-") return std::nullopt;
  return s;
}

std::optional<int64_t> integer(Str s) {
  s = present(s);
  return s ? text::parse_id(*s) : std::nullopt;
}

// "NT AUTHORITY\SYSTEM" -> domain, user.
void split_account(std::string_view account, Str& domain, Str& user) {
  const size_t slash = account.find('\\');
  if (slash == std::string_view::npos) {
    user = account;
    return;
  }
  domain = account.substr(0, slash);
  user = account.substr(slash + 1);
}

// 0xc000006d from 0xC000006D, 0xc000006d, 3221225581; the text as written otherwise.
Str status_text(Str raw, std::string& buf) {
  raw = present(raw);
  if (!raw) return std::nullopt;
  const auto v = text::parse_id(*raw);
  if (!v || *v < 0 || *v > 0xFFFFFFFFll) return raw;
  char tmp[16];
  std::snprintf(tmp, sizeof tmp, "0x%08llx", static_cast<unsigned long long>(*v));
  buf = tmp;
  return std::string_view(buf);
}

// A logon id: 0 (0x0) names no logon session (4688's TargetLogonId when the new
// process runs as its creator), so it is NULL like every unset id.
std::optional<int64_t> logon_id(Str s) {
  const auto v = integer(s);
  if (!v || *v == 0) return std::nullopt;
  return v;
}

Str lower_guid(Str raw, std::string& buf) {
  raw = present(raw);
  if (!raw) return std::nullopt;
  buf = text::ascii_lower(*raw);
  return std::string_view(buf);
}

Str named(Str raw) {
  raw = present(raw);
  if (!raw) return std::nullopt;
  if (const char* m = param_message(*raw)) return std::string_view(m);
  return raw;
}

}  // namespace

void WinEvent::clear() {
  time_ms = event_id = record_id = level = subject_logon_id = target_logon_id = logon_type =
      ip_port = process_id = parent_process_id = std::nullopt;
  epoch = std::nullopt;
  computer = channel = provider = activity = user_sid = subject_user_sid = subject_user =
      subject_domain = target_user_sid = target_user = target_domain = logon_type_name =
          ip_address = workstation = status = status_name = sub_status = sub_status_name =
              failure_reason = process_name = parent_process_name = command_line =
                  token_elevation = process_guid = parent_process_guid = std::nullopt;
  event_data.clear();
}

void Normaliser::index(const EventRecord& ev) {
  for (bool& h : has_) h = false;
  const auto& m = keys();
  for (const Field& f : ev.data) {
    const auto it = m.find(ev.view(f.name));
    if (it == m.end() || has_[it->second]) continue;  // the first of a repeated name
    has_[it->second] = true;
    values_[it->second] = ev.view(f.value);
  }
}

Str Normaliser::get(int key) const {
  static_assert(kKeys >= kKeyCount, "room for every key");
  if (!has_[key]) return std::nullopt;
  return values_[key];
}

void Normaliser::run(const EventRecord& ev, unsigned need, WinEvent& out, Str activity_text) {
  out.clear();
  auto text = [&](Text t) -> Str {
    if (!t.present) return std::nullopt;
    return ev.view(t);
  };
  out.time_ms = ev.time_ms;
  out.epoch = ev.epoch;
  out.event_id = ev.event_id;
  out.record_id = ev.record_id;
  out.level = ev.level;
  out.computer = present(text(ev.computer));
  out.channel = present(text(ev.channel));
  out.provider = present(text(ev.provider));
  out.user_sid = present(text(ev.user_sid));
  const std::string_view provider = out.provider.value_or(std::string_view());
  const ProviderFamily family = provider_family(provider);
  if (ev.event_id) {
    if (const char* a = activity_name(family, provider, *ev.event_id)) out.activity = std::string_view(a);
  }
  if (!out.activity && present(activity_text)) {
    std::string_view a = *activity_text;
    // Sentinel writes "4624 - An account was successfully logged on."
    const size_t dash = a.find(" - ");
    if (dash != std::string_view::npos && dash > 0 && a.find_first_not_of("0123456789") == dash)
      a.remove_prefix(dash + 3);
    out.activity = a;
  }
  if (need & kNeedJson) {
    if (ev.has_event_data || !ev.data.empty()) append_event_data_json(out.event_data, ev);
  }
  if (!(need & kNeedFields)) return;

  index(ev);
  const bool sysmon = family == ProviderFamily::kSysmon;
  const int64_t id = ev.event_id.value_or(-1);

  out.subject_user_sid = present(get(kSubjectUserSid));
  out.subject_user = present(get(kSubjectUserName));
  out.subject_domain = present(get(kSubjectDomainName));
  out.subject_logon_id = logon_id(get(kSubjectLogonId));
  if (sysmon) {
    if (!out.subject_user)
      if (Str u = present(get(kUser))) split_account(*u, out.subject_domain, out.subject_user);
    if (!out.subject_logon_id) out.subject_logon_id = logon_id(get(kLogonId));
  }
  if (!out.subject_user && out.subject_user_sid)
    if (const char* n = well_known_sid_name(*out.subject_user_sid))
      split_account(n, out.subject_domain, out.subject_user);

  out.target_user_sid = present(get(kTargetUserSid));
  if (!out.target_user_sid) out.target_user_sid = present(get(kTargetSid));
  out.target_user = present(get(kTargetUserName));
  out.target_domain = present(get(kTargetDomainName));
  out.target_logon_id = logon_id(get(kTargetLogonId));
  if (!out.target_user && out.target_user_sid)
    if (const char* n = well_known_sid_name(*out.target_user_sid))
      split_account(n, out.target_domain, out.target_user);

  out.logon_type = integer(get(kLogonType));
  if (out.logon_type)
    if (const char* n = logon_type_name(*out.logon_type)) out.logon_type_name = std::string_view(n);

  Str ip = present(get(kIpAddress));
  if (!ip) ip = present(get(kClientAddress));
  if (ip && ip->size() > 7 && text::iequals(ip->substr(0, 7), "::ffff:") && ip->find('.') != std::string_view::npos)
    ip = ip->substr(7);
  out.ip_address = ip;
  out.ip_port = integer(get(kIpPort));
  if (!out.ip_port) out.ip_port = integer(get(kClientPort));
  out.workstation = present(get(kWorkstationName));
  if (!out.workstation) out.workstation = present(get(kWorkstation));

  out.status = status_text(get(kStatus), out.status_buf_);
  if (out.status)
    if (auto v = text::parse_id(*out.status))
      if (const char* n = status_name(id, static_cast<uint32_t>(*v))) out.status_name = std::string_view(n);
  out.sub_status = status_text(get(kSubStatus), out.sub_status_buf_);
  if (out.sub_status)
    if (auto v = text::parse_id(*out.sub_status))
      if (const char* n = status_name(id, static_cast<uint32_t>(*v))) out.sub_status_name = std::string_view(n);
  out.failure_reason = named(get(kFailureReason));
  out.token_elevation = named(get(kTokenElevationType));
  out.command_line = present(get(kCommandLine));

  if (sysmon) {
    if (id == 8 || id == 10) {  // CreateRemoteThread, ProcessAccess: the acting process is the source
      out.process_id = integer(get(kSourceProcessId));
      out.process_name = present(get(kSourceImage));
      out.process_guid = lower_guid(get(kSourceProcessGuid), out.guid_buf_);
    } else {
      out.process_id = integer(get(kProcessId));
      out.process_name = present(get(kImage));
      out.process_guid = lower_guid(get(kProcessGuid), out.guid_buf_);
      out.parent_process_id = integer(get(kParentProcessId));
      out.parent_process_name = present(get(kParentImage));
      out.parent_process_guid = lower_guid(get(kParentProcessGuid), out.parent_guid_buf_);
    }
  } else if (has_[kNewProcessId] || id == 4688) {
    out.process_id = integer(get(kNewProcessId));
    out.process_name = present(get(kNewProcessName));
    out.parent_process_id = integer(get(kProcessId));
    out.parent_process_name = present(get(kParentProcessName));
  } else {
    out.process_id = integer(get(kProcessId));
    if (!out.process_id) out.process_id = integer(get(kProcessID));
    if (!out.process_id) out.process_id = integer(get(kCallerProcessId));
    out.process_name = present(get(kProcessName));
    if (!out.process_name) out.process_name = present(get(kApplication));
    if (!out.process_name) out.process_name = present(get(kCallerProcessName));
    out.parent_process_id = integer(get(kParentProcessId));
    out.parent_process_name = present(get(kParentProcessName));
  }
}

}  // namespace sqlhunt::winevt
