#include "vtabs/win_events/getwinevent_fields.h"

#include <initializer_list>
#include <vector>

namespace sqlhunt::winevt {
namespace {

using V = std::initializer_list<std::string_view>;

struct Template {
  bool sysmon;
  int64_t id;
  std::vector<std::string_view> names;
};

const std::vector<Template>& templates() {
  static const std::vector<Template> t = [] {
    std::vector<Template> out;
    auto add = [&](bool sysmon, int64_t id, V names) { out.push_back({sysmon, id, names}); };
    auto subject = V{"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId"};
    auto account = [&](V first, V rest) {
      std::vector<std::string_view> v(first);
      v.insert(v.end(), subject.begin(), subject.end());
      v.insert(v.end(), rest.begin(), rest.end());
      return v;
    };
    auto addv = [&](int64_t id, std::vector<std::string_view> v) { out.push_back({false, id, std::move(v)}); };

    // 4624: version 0 (20 values), 1 (+ImpersonationLevel), 2 (Windows 10: 27)
    const V logon0 = {"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
                      "TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId",
                      "LogonType", "LogonProcessName", "AuthenticationPackageName", "WorkstationName",
                      "LogonGuid", "TransmittedServices", "LmPackageName", "KeyLength", "ProcessId",
                      "ProcessName", "IpAddress", "IpPort"};
    std::vector<std::string_view> l(logon0);
    addv(4624, l);
    l.push_back("ImpersonationLevel");
    addv(4624, l);
    for (auto n : {"RestrictedAdminMode", "TargetOutboundUserName", "TargetOutboundDomainName",
                   "VirtualAccount", "TargetLinkedLogonId", "ElevatedToken"})
      l.push_back(n);
    addv(4624, l);
    add(false, 4625, {"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
                      "TargetUserSid", "TargetUserName", "TargetDomainName", "Status", "FailureReason",
                      "SubStatus", "LogonType", "LogonProcessName", "AuthenticationPackageName",
                      "WorkstationName", "TransmittedServices", "LmPackageName", "KeyLength",
                      "ProcessId", "ProcessName", "IpAddress", "IpPort"});
    add(false, 4634, {"TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId", "LogonType"});
    add(false, 4647, {"TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId"});
    add(false, 4648, {"SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId",
                      "LogonGuid", "TargetUserName", "TargetDomainName", "TargetLogonGuid",
                      "TargetServerName", "TargetInfo", "ProcessId", "ProcessName", "IpAddress", "IpPort"});
    addv(4672, account({}, {"PrivilegeList"}));
    // 4688: version 0 (8 values), 1 (+CommandLine), 2 (Windows 10: 15)
    std::vector<std::string_view> p = account({}, {"NewProcessId", "NewProcessName", "TokenElevationType", "ProcessId"});
    addv(4688, p);
    p.push_back("CommandLine");
    addv(4688, p);
    for (auto n : {"TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId",
                   "ParentProcessName", "MandatoryLabel"})
      p.push_back(n);
    addv(4688, p);
    addv(4689, account({}, {"Status", "ProcessId", "ProcessName"}));
    const V target = {"TargetUserName", "TargetDomainName", "TargetSid"};
    const V user_attributes = {"SamAccountName", "DisplayName", "UserPrincipalName", "HomeDirectory",
                               "HomePath", "ScriptPath", "ProfilePath", "UserWorkstations",
                               "PasswordLastSet", "AccountExpires", "PrimaryGroupId",
                               "AllowedToDelegateTo", "OldUacValue", "NewUacValue",
                               "UserAccountControl", "UserParameters", "SidHistory", "LogonHours"};
    std::vector<std::string_view> created = account(target, {"PrivilegeList"});
    created.insert(created.end(), user_attributes.begin(), user_attributes.end());
    addv(4720, created);
    std::vector<std::string_view> changed = {"Dummy"};
    changed.insert(changed.end(), created.begin(), created.end());
    addv(4738, changed);
    for (int64_t id : {4722, 4724, 4725, 4740, 4767}) addv(id, account(target, {}));
    for (int64_t id : {4723, 4726}) addv(id, account(target, {"PrivilegeList"}));
    for (int64_t id : {4728, 4729, 4732, 4733, 4756, 4757})
      addv(id, account({"MemberName", "MemberSid", "TargetUserName", "TargetDomainName", "TargetSid"}, {"PrivilegeList"}));
    add(false, 4776, {"PackageName", "TargetUserName", "Workstation", "Status"});

    // Sysmon 1: schema 3 (16 values, as in sysmon.evtx), 4 (RuleName first; then
    // FileVersion .. Company after Image: 21), with OriginalFileName (22), ParentUser (23)
    const V create3 = {"UtcTime", "ProcessGuid", "ProcessId", "Image", "CommandLine", "CurrentDirectory",
                       "User", "LogonGuid", "LogonId", "TerminalSessionId", "IntegrityLevel", "Hashes",
                       "ParentProcessGuid", "ParentProcessId", "ParentImage", "ParentCommandLine"};
    add(true, 1, create3);
    std::vector<std::string_view> c = {"RuleName", "UtcTime", "ProcessGuid", "ProcessId", "Image",
                                       "FileVersion", "Description", "Product", "Company"};
    const std::vector<std::string_view> c_rest(create3.begin() + 4, create3.end());
    std::vector<std::string_view> v4 = c;
    v4.insert(v4.end(), c_rest.begin(), c_rest.end());
    out.push_back({true, 1, v4});
    c.push_back("OriginalFileName");
    std::vector<std::string_view> v5 = c;
    v5.insert(v5.end(), c_rest.begin(), c_rest.end());
    out.push_back({true, 1, v5});
    v5.push_back("ParentUser");
    out.push_back({true, 1, v5});
    const V net = {"UtcTime", "ProcessGuid", "ProcessId", "Image", "User", "Protocol", "Initiated",
                   "SourceIsIpv6", "SourceIp", "SourceHostname", "SourcePort", "SourcePortName",
                   "DestinationIsIpv6", "DestinationIp", "DestinationHostname", "DestinationPort",
                   "DestinationPortName"};
    add(true, 3, net);
    std::vector<std::string_view> net4 = {"RuleName"};
    net4.insert(net4.end(), net.begin(), net.end());
    out.push_back({true, 3, net4});
    add(true, 5, {"UtcTime", "ProcessGuid", "ProcessId", "Image"});
    add(true, 5, {"RuleName", "UtcTime", "ProcessGuid", "ProcessId", "Image"});
    add(true, 5, {"RuleName", "UtcTime", "ProcessGuid", "ProcessId", "Image", "User"});
    return out;
  }();
  return t;
}

}  // namespace

const std::string_view* property_names(bool sysmon, int64_t event_id, size_t count) {
  for (const Template& t : templates())
    if (t.sysmon == sysmon && t.id == event_id && t.names.size() == count) return t.names.data();
  return nullptr;
}

}  // namespace sqlhunt::winevt
