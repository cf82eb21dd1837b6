#include "vtabs/win_events/event_names.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/text.h"

namespace sqlhunt::winevt {
namespace {

struct IdName {
  int64_t id;
  const char* name;
};

template <size_t N>
const char* find(const IdName (&table)[N], int64_t id) {
  for (const IdName& e : table)
    if (e.id == id) return e.name;
  return nullptr;
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// Security auditing (Microsoft-Windows-Security-Auditing, and the Eventlog provider's
// 11xx in the Security channel): the titles of Microsoft's event reference.
constexpr IdName kSecurity[] = {
    {1100, "The event logging service has shut down."},
    {1102, "The audit log was cleared."},
    {1104, "The security log is now full."},
    {1105, "Event log automatic backup."},
    {1108, "The event logging service encountered an error."},
    {4608, "Windows is starting up."},
    {4609, "Windows is shutting down."},
    {4610, "An authentication package has been loaded by the Local Security Authority."},
    {4611, "A trusted logon process has been registered with the Local Security Authority."},
    {4612, "Internal resources allocated for the queuing of audit messages have been exhausted, leading to the loss of some audits."},
    {4614, "A notification package has been loaded by the Security Account Manager."},
    {4616, "The system time was changed."},
    {4618, "A monitored security event pattern has occurred."},
    {4621, "Administrator recovered system from CrashOnAuditFail."},
    {4622, "A security package has been loaded by the Local Security Authority."},
    {4624, "An account was successfully logged on."},
    {4625, "An account failed to log on."},
    {4626, "User/Device claims information."},
    {4627, "Group membership information."},
    {4634, "An account was logged off."},
    {4647, "User initiated logoff."},
    {4648, "A logon was attempted using explicit credentials."},
    {4649, "A replay attack was detected."},
    {4656, "A handle to an object was requested."},
    {4657, "A registry value was modified."},
    {4658, "The handle to an object was closed."},
    {4660, "An object was deleted."},
    {4661, "A handle to an object was requested."},
    {4662, "An operation was performed on an object."},
    {4663, "An attempt was made to access an object."},
    {4664, "An attempt was made to create a hard link."},
    {4670, "Permissions on an object were changed."},
    {4672, "Special privileges assigned to new logon."},
    {4673, "A privileged service was called."},
    {4674, "An operation was attempted on a privileged object."},
    {4688, "A new process has been created."},
    {4689, "A process has exited."},
    {4690, "An attempt was made to duplicate a handle to an object."},
    {4692, "Backup of data protection master key was attempted."},
    {4693, "Recovery of data protection master key was attempted."},
    {4694, "Protection of auditable protected data was attempted."},
    {4695, "Unprotection of auditable protected data was attempted."},
    {4696, "A primary token was assigned to process."},
    {4697, "A service was installed in the system."},
    {4698, "A scheduled task was created."},
    {4699, "A scheduled task was deleted."},
    {4700, "A scheduled task was enabled."},
    {4701, "A scheduled task was disabled."},
    {4702, "A scheduled task was updated."},
    {4703, "A user right was adjusted."},
    {4704, "A user right was assigned."},
    {4705, "A user right was removed."},
    {4706, "A new trust was created to a domain."},
    {4707, "A trust to a domain was removed."},
    {4713, "Kerberos policy was changed."},
    {4714, "Encrypted data recovery policy was changed."},
    {4715, "The audit policy (SACL) on an object was changed."},
    {4716, "Trusted domain information was modified."},
    {4717, "System security access was granted to an account."},
    {4718, "System security access was removed from an account."},
    {4719, "System audit policy was changed."},
    {4720, "A user account was created."},
    {4722, "A user account was enabled."},
    {4723, "An attempt was made to change an account's password."},
    {4724, "An attempt was made to reset an account's password."},
    {4725, "A user account was disabled."},
    {4726, "A user account was deleted."},
    {4727, "A security-enabled global group was created."},
    {4728, "A member was added to a security-enabled global group."},
    {4729, "A member was removed from a security-enabled global group."},
    {4730, "A security-enabled global group was deleted."},
    {4731, "A security-enabled local group was created."},
    {4732, "A member was added to a security-enabled local group."},
    {4733, "A member was removed from a security-enabled local group."},
    {4734, "A security-enabled local group was deleted."},
    {4735, "A security-enabled local group was changed."},
    {4737, "A security-enabled global group was changed."},
    {4738, "A user account was changed."},
    {4739, "Domain Policy was changed."},
    {4740, "A user account was locked out."},
    {4741, "A computer account was created."},
    {4742, "A computer account was changed."},
    {4743, "A computer account was deleted."},
    {4744, "A security-disabled local group was created."},
    {4745, "A security-disabled local group was changed."},
    {4746, "A member was added to a security-disabled local group."},
    {4747, "A member was removed from a security-disabled local group."},
    {4748, "A security-disabled local group was deleted."},
    {4749, "A security-disabled global group was created."},
    {4750, "A security-disabled global group was changed."},
    {4751, "A member was added to a security-disabled global group."},
    {4752, "A member was removed from a security-disabled global group."},
    {4753, "A security-disabled global group was deleted."},
    {4754, "A security-enabled universal group was created."},
    {4755, "A security-enabled universal group was changed."},
    {4756, "A member was added to a security-enabled universal group."},
    {4757, "A member was removed from a security-enabled universal group."},
    {4758, "A security-enabled universal group was deleted."},
    {4759, "A security-disabled universal group was created."},
    {4760, "A security-disabled universal group was changed."},
    {4761, "A member was added to a security-disabled universal group."},
    {4762, "A member was removed from a security-disabled universal group."},
    {4763, "A security-disabled universal group was deleted."},
    {4764, "A group's type was changed."},
    {4765, "SID History was added to an account."},
    {4766, "An attempt to add SID History to an account failed."},
    {4767, "A user account was unlocked."},
    {4768, "A Kerberos authentication ticket (TGT) was requested."},
    {4769, "A Kerberos service ticket was requested."},
    {4770, "A Kerberos service ticket was renewed."},
    {4771, "Kerberos pre-authentication failed."},
    {4772, "A Kerberos authentication ticket request failed."},
    {4773, "A Kerberos service ticket request failed."},
    {4774, "An account was mapped for logon."},
    {4775, "An account could not be mapped for logon."},
    {4776, "The computer attempted to validate the credentials for an account."},
    {4777, "The domain controller failed to validate the credentials for an account."},
    {4778, "A session was reconnected to a Window Station."},
    {4779, "A session was disconnected from a Window Station."},
    {4780, "The ACL was set on accounts which are members of administrators groups."},
    {4781, "The name of an account was changed."},
    {4782, "The password hash of an account was accessed."},
    {4793, "The Password Policy Checking API was called."},
    {4794, "An attempt was made to set the Directory Services Restore Mode administrator password."},
    {4797, "An attempt was made to query the existence of a blank password for an account."},
    {4798, "A user's local group membership was enumerated."},
    {4799, "A security-enabled local group membership was enumerated."},
    {4800, "The workstation was locked."},
    {4801, "The workstation was unlocked."},
    {4802, "The screen saver was invoked."},
    {4803, "The screen saver was dismissed."},
    {4816, "RPC detected an integrity violation while decrypting an incoming message."},
    {4826, "Boot Configuration Data loaded."},
    {4902, "The Per-user audit policy table was created."},
    {4904, "An attempt was made to register a security event source."},
    {4905, "An attempt was made to unregister a security event source."},
    {4906, "The CrashOnAuditFail value has changed."},
    {4907, "Auditing settings on object were changed."},
    {4908, "Special Groups Logon table modified."},
    {4912, "Per User Audit Policy was changed."},
    {4946, "A change has been made to Windows Firewall exception list. A rule was added."},
    {4947, "A change has been made to Windows Firewall exception list. A rule was modified."},
    {4948, "A change has been made to Windows Firewall exception list. A rule was deleted."},
    {4950, "A Windows Firewall setting has changed."},
    {4956, "Windows Firewall has changed the active profile."},
    {4964, "Special groups have been assigned to a new logon."},
    {5024, "The Windows Firewall Service has started successfully."},
    {5025, "The Windows Firewall Service has been stopped."},
    {5031, "The Windows Firewall Service blocked an application from accepting incoming connections on the network."},
    {5033, "The Windows Firewall Driver has started successfully."},
    {5058, "Key file operation."},
    {5059, "Key migration operation."},
    {5061, "Cryptographic operation."},
    {5136, "A directory service object was modified."},
    {5137, "A directory service object was created."},
    {5140, "A network share object was accessed."},
    {5142, "A network share object was added."},
    {5143, "A network share object was modified."},
    {5144, "A network share object was deleted."},
    {5145, "A network share object was checked to see whether client can be granted desired access."},
    {5152, "The Windows Filtering Platform blocked a packet."},
    {5154, "The Windows Filtering Platform has permitted an application or service to listen on a port for incoming connections."},
    {5156, "The Windows Filtering Platform has permitted a connection."},
    {5157, "The Windows Filtering Platform has blocked a connection."},
    {5158, "The Windows Filtering Platform has permitted a bind to a local port."},
    {5379, "Credential Manager credentials were read."},
    {5381, "Vault credentials were read."},
    {5382, "Vault credentials were read."},
    {5447, "A Windows Filtering Platform filter has been changed."},
    {5478, "IPsec Services has started successfully."},
    {6272, "Network Policy Server granted access to a user."},
    {6273, "Network Policy Server denied access to a user."},
    {6416, "A new external device was recognized by the system."},
    // AppLocker events reach SecurityEvent too
    {8002, "A process was allowed to run."},
    {8003, "A process was allowed to run but would have been prevented if the AppLocker policy were enforced."},
    {8004, "A process was prevented from running."},
};

// Sysmon's event types, as its documentation names them.
constexpr IdName kSysmon[] = {
    {1, "Process creation"}, {2, "A process changed a file creation time"},
    {3, "Network connection"}, {4, "Sysmon service state changed"}, {5, "Process terminated"},
    {6, "Driver loaded"}, {7, "Image loaded"}, {8, "CreateRemoteThread"}, {9, "RawAccessRead"},
    {10, "ProcessAccess"}, {11, "FileCreate"}, {12, "RegistryEvent (Object create and delete)"},
    {13, "RegistryEvent (Value Set)"}, {14, "RegistryEvent (Key and Value Rename)"},
    {15, "FileCreateStreamHash"}, {16, "ServiceConfigurationChange"},
    {17, "PipeEvent (Pipe Created)"}, {18, "PipeEvent (Pipe Connected)"},
    {19, "WmiEvent (WmiEventFilter activity detected)"},
    {20, "WmiEvent (WmiEventConsumer activity detected)"},
    {21, "WmiEvent (WmiEventConsumerToFilter activity detected)"}, {22, "DNSEvent (DNS query)"},
    {23, "FileDelete (File Delete archived)"}, {24, "ClipboardChange (New content in the clipboard)"},
    {25, "ProcessTampering (Process image change)"}, {26, "FileDeleteDetected (File Delete logged)"},
    {27, "FileBlockExecutable"}, {28, "FileBlockShredding"}, {29, "FileExecutableDetected"},
    {255, "Error"},
};

constexpr IdName kServiceControlManager[] = {
    {7034, "A service terminated unexpectedly."},
    {7035, "A service was sent a start or stop control."},
    {7036, "A service entered a new state."},
    {7040, "The start type of a service was changed."},
    {7045, "A service was installed in the system."},
};

constexpr IdName kEventLog[] = {
    {104, "An event log was cleared."},
    {6005, "The Event log service was started."},
    {6006, "The Event log service was stopped."},
    {6008, "The previous system shutdown was unexpected."},
};

constexpr IdName kPowerShell[] = {
    {400, "PowerShell engine started."}, {403, "PowerShell engine stopped."},
    {600, "A PowerShell provider was started."},
    {4103, "PowerShell pipeline execution details (module logging)."},
    {4104, "PowerShell script block logged."},
};

constexpr IdName kTerminalServices[] = {
    {21, "Remote Desktop Services: Session logon succeeded."},
    {22, "Remote Desktop Services: Shell start notification received."},
    {23, "Remote Desktop Services: Session logoff succeeded."},
    {24, "Remote Desktop Services: Session has been disconnected."},
    {25, "Remote Desktop Services: Session reconnection succeeded."},
    {1149, "Remote Desktop Services: User authentication succeeded."},
};

constexpr IdName kTaskScheduler[] = {
    {106, "A scheduled task was registered."}, {140, "A scheduled task was updated."},
    {141, "A scheduled task was deleted."}, {200, "A scheduled task action started."},
    {201, "A scheduled task action completed."},
};

constexpr IdName kDefender[] = {
    {1116, "The antimalware platform detected malware or other potentially unwanted software."},
    {1117, "The antimalware platform performed an action to protect your system from malware or other potentially unwanted software."},
};

constexpr const char* kLogonTypes[] = {
    "System", nullptr, "Interactive", "Network", "Batch", "Service", nullptr, "Unlock",
    "NetworkCleartext", "NewCredentials", "RemoteInteractive", "CachedInteractive",
    "CachedRemoteInteractive", "CachedUnlock",
};

// NTSTATUS codes in failed logons (4625 Status/SubStatus, 4776), as Microsoft's 4625
// reference explains them.
constexpr IdName kStatus[] = {
    {0x00000000, "success"},
    {0xC000005E, "no logon servers available"},
    {0xC0000064, "user name does not exist"},
    {0xC000006A, "user name is correct but the password is wrong"},
    {0xC000006D, "bad user name or password"},
    {0xC000006E, "account restriction"},
    {0xC000006F, "logon outside authorized hours"},
    {0xC0000070, "logon from an unauthorized workstation"},
    {0xC0000071, "password expired"},
    {0xC0000072, "account disabled"},
    {0xC000009A, "insufficient system resources"},
    {0xC00000DC, "server in the wrong state"},
    {0xC0000133, "clocks of the domain controller and the workstation out of sync"},
    {0xC000015B, "logon type not granted at this machine"},
    {0xC000018C, "trust relationship between the domains failed"},
    {0xC0000192, "Netlogon service not started"},
    {0xC0000193, "account expired"},
    {0xC0000224, "password must be changed at next logon"},
    {0xC0000225, "Windows bug, not a risk"},
    {0xC0000234, "account locked out"},
    {0xC00002EE, "an error occurred during logon"},
    {0xC0000371, "the local account store does not hold secret material for the account"},
    {0xC0000413, "authentication firewall: the machine is not allowed to authenticate"},
};

// Kerberos result codes (RFC 4120) in 4768, 4769, 4771, 4772, 4773.
constexpr IdName kKerberosStatus[] = {
    {0x0, "success"},
    {0x6, "client not found in the Kerberos database (bad user name)"},
    {0x7, "server not found in the Kerberos database"},
    {0xC, "policy rejects the request (logon restrictions)"},
    {0x12, "client's credentials revoked (account disabled, expired or locked out)"},
    {0x17, "password expired"},
    {0x18, "pre-authentication failed (bad password)"},
    {0x1F, "integrity check on decrypted field failed"},
    {0x20, "ticket expired"},
    {0x25, "clock skew too great"},
};

struct TextName {
  const char* text;
  const char* name;
};

// Parameter messages of msobjs.dll that Security events cite as %%N.
constexpr TextName kParamMessages[] = {
    {"%%1842", "Yes"}, {"%%1843", "No"},
    {"%%1936", "TokenElevationTypeDefault (1)"},
    {"%%1937", "TokenElevationTypeFull (2)"},
    {"%%1938", "TokenElevationTypeLimited (3)"},
    {"%%2304", "An Error occured during Logon."},
    {"%%2305", "The specified user account has expired."},
    {"%%2306", "The NetLogon component is not active."},
    {"%%2307", "Account locked out."},
    {"%%2308", "The user has not been granted the requested logon type at this machine."},
    {"%%2309", "The specified account's password has expired."},
    {"%%2310", "Account currently disabled."},
    {"%%2311", "Account logon time restriction violation."},
    {"%%2312", "User not allowed to logon at this computer."},
    {"%%2313", "Unknown user name or bad password."},
    {"%%14592", "Inbound"}, {"%%14593", "Outbound"},
};

constexpr TextName kSids[] = {
    {"S-1-0-0", "NULL SID"},
    {"S-1-1-0", "Everyone"},
    {"S-1-2-0", "LOCAL"},
    {"S-1-3-0", "CREATOR OWNER"},
    {"S-1-5-1", "NT AUTHORITY\\DIALUP"},
    {"S-1-5-2", "NT AUTHORITY\\NETWORK"},
    {"S-1-5-3", "NT AUTHORITY\\BATCH"},
    {"S-1-5-4", "NT AUTHORITY\\INTERACTIVE"},
    {"S-1-5-6", "NT AUTHORITY\\SERVICE"},
    {"S-1-5-7", "NT AUTHORITY\\ANONYMOUS LOGON"},
    {"S-1-5-9", "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS"},
    {"S-1-5-10", "NT AUTHORITY\\SELF"},
    {"S-1-5-11", "NT AUTHORITY\\Authenticated Users"},
    {"S-1-5-13", "NT AUTHORITY\\TERMINAL SERVER USER"},
    {"S-1-5-14", "NT AUTHORITY\\REMOTE INTERACTIVE LOGON"},
    {"S-1-5-15", "NT AUTHORITY\\This Organization"},
    {"S-1-5-17", "NT AUTHORITY\\IUSR"},
    {"S-1-5-18", "NT AUTHORITY\\SYSTEM"},
    {"S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE"},
    {"S-1-5-20", "NT AUTHORITY\\NETWORK SERVICE"},
    {"S-1-5-32-544", "BUILTIN\\Administrators"},
    {"S-1-5-32-545", "BUILTIN\\Users"},
    {"S-1-5-32-546", "BUILTIN\\Guests"},
    {"S-1-5-32-547", "BUILTIN\\Power Users"},
    {"S-1-5-32-548", "BUILTIN\\Account Operators"},
    {"S-1-5-32-549", "BUILTIN\\Server Operators"},
    {"S-1-5-32-550", "BUILTIN\\Print Operators"},
    {"S-1-5-32-551", "BUILTIN\\Backup Operators"},
    {"S-1-5-32-552", "BUILTIN\\Replicator"},
    {"S-1-5-32-554", "BUILTIN\\Pre-Windows 2000 Compatible Access"},
    {"S-1-5-32-555", "BUILTIN\\Remote Desktop Users"},
    {"S-1-5-32-556", "BUILTIN\\Network Configuration Operators"},
    {"S-1-5-32-558", "BUILTIN\\Performance Monitor Users"},
    {"S-1-5-32-559", "BUILTIN\\Performance Log Users"},
    {"S-1-5-32-562", "BUILTIN\\Distributed COM Users"},
    {"S-1-5-32-568", "BUILTIN\\IIS_IUSRS"},
    {"S-1-5-32-569", "BUILTIN\\Cryptographic Operators"},
    {"S-1-5-32-573", "BUILTIN\\Event Log Readers"},
    {"S-1-5-32-574", "BUILTIN\\Certificate Service DCOM Access"},
    {"S-1-5-32-578", "BUILTIN\\Hyper-V Administrators"},
    {"S-1-5-32-579", "BUILTIN\\Access Control Assistance Operators"},
    {"S-1-5-32-580", "BUILTIN\\Remote Management Users"},
    {"S-1-5-64-10", "NT AUTHORITY\\NTLM Authentication"},
    {"S-1-5-64-14", "NT AUTHORITY\\SChannel Authentication"},
    {"S-1-5-64-21", "NT AUTHORITY\\Digest Authentication"},
    {"S-1-5-80-0", "NT SERVICE\\ALL SERVICES"},
    {"S-1-5-83-0", "NT VIRTUAL MACHINE\\Virtual Machines"},
    {"S-1-5-90-0", "Window Manager\\Window Manager Group"},
    {"S-1-5-113", "NT AUTHORITY\\Local account"},
    {"S-1-5-114", "NT AUTHORITY\\Local account and member of Administrators group"},
    {"S-1-16-0", "Mandatory Label\\Untrusted Mandatory Level"},
    {"S-1-16-4096", "Mandatory Label\\Low Mandatory Level"},
    {"S-1-16-8192", "Mandatory Label\\Medium Mandatory Level"},
    {"S-1-16-8448", "Mandatory Label\\Medium Plus Mandatory Level"},
    {"S-1-16-12288", "Mandatory Label\\High Mandatory Level"},
    {"S-1-16-16384", "Mandatory Label\\System Mandatory Level"},
    {"S-1-16-20480", "Mandatory Label\\Protected Process Mandatory Level"},
};

// Accounts and groups every domain (and a machine's local accounts) has, by the RID
// that ends S-1-5-21-<domain>-<rid>. The domain's name is not in the SID.
constexpr IdName kDomainRids[] = {
    {500, "Administrator"}, {501, "Guest"}, {502, "krbtgt"}, {503, "DefaultAccount"},
    {504, "WDAGUtilityAccount"}, {512, "Domain Admins"}, {513, "Domain Users"},
    {514, "Domain Guests"}, {515, "Domain Computers"}, {516, "Domain Controllers"},
    {517, "Cert Publishers"}, {518, "Schema Admins"}, {519, "Enterprise Admins"},
    {520, "Group Policy Creator Owners"}, {521, "Read-only Domain Controllers"},
    {525, "Protected Users"}, {526, "Key Admins"}, {527, "Enterprise Key Admins"},
    {553, "RAS and IAS Servers"},
};

}  // namespace

ProviderFamily provider_family(std::string_view provider) {
  if (provider.empty() || contains(provider, "Security-Auditing") || contains(provider, "Eventlog") ||
      contains(provider, "AppLocker"))
    return ProviderFamily::kSecurity;
  if (contains(provider, "Sysmon")) return ProviderFamily::kSysmon;
  return ProviderFamily::kOther;
}

const char* activity_name(ProviderFamily family, std::string_view provider, int64_t id) {
  switch (family) {
    case ProviderFamily::kSysmon: return find(kSysmon, id);
    case ProviderFamily::kSecurity:
      if (contains(provider, "Eventlog") && id == 104) return find(kEventLog, id);
      return find(kSecurity, id);
    case ProviderFamily::kOther: break;
  }
  if (contains(provider, "Service Control Manager")) return find(kServiceControlManager, id);
  if (provider == "EventLog") return find(kEventLog, id);
  if (contains(provider, "PowerShell")) return find(kPowerShell, id);
  if (contains(provider, "TerminalServices")) return find(kTerminalServices, id);
  if (contains(provider, "TaskScheduler")) return find(kTaskScheduler, id);
  if (contains(provider, "Windows Defender")) return find(kDefender, id);
  return nullptr;
}

const char* logon_type_name(int64_t t) {
  if (t < 0 || t >= static_cast<int64_t>(std::size(kLogonTypes))) return nullptr;
  return kLogonTypes[t];
}

const char* status_name(int64_t event_id, uint32_t status) {
  const bool kerberos = event_id == 4768 || event_id == 4769 || event_id == 4771 ||
                        event_id == 4772 || event_id == 4773;
  return kerberos ? find(kKerberosStatus, status) : find(kStatus, status);
}

const char* param_message(std::string_view text) {
  for (const TextName& e : kParamMessages)
    if (text == e.text) return e.name;
  return nullptr;
}

const char* well_known_sid_name(std::string_view sid) {
  for (const TextName& e : kSids)
    if (sid == e.text) return e.name;
  // S-1-5-21-<a>-<b>-<c>-<rid>: a domain's (or machine's) well-known accounts by RID.
  if (text::starts_with(sid, "S-1-5-21-")) {
    const size_t dash = sid.rfind('-');
    int64_t rid = 0;
    const auto r = std::from_chars(sid.data() + dash + 1, sid.data() + sid.size(), rid);
    if (r.ec == std::errc() && r.ptr == sid.data() + sid.size() &&
        std::count(sid.begin(), sid.end(), '-') == 7)
      return find(kDomainRids, rid);
  }
  return nullptr;
}

}  // namespace sqlhunt::winevt
