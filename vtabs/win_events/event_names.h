// vtabs/win_events/event_names.h — the names an analyst reads instead of numbers.
//
// Sources: Microsoft's documentation of the Security audit events ("4624(S): An account
// was successfully logged on." ...), of logon types and of the NTSTATUS codes a failed
// logon reports (4625, 4771, 4776), the Sysmon event list, and the parameter message
// strings (%%1936 ...) in msobjs.dll that Security events cite. Unknown ids give nullptr:
// the column is NULL, never a guess.
#pragma once

#include <cstdint>
#include <string_view>

namespace sqlhunt::winevt {

enum class ProviderFamily { kSecurity, kSysmon, kOther };

// The family a provider name belongs to (an empty provider, as in SecurityEvent exports
// without EventSourceName, is taken as Security auditing).
ProviderFamily provider_family(std::string_view provider);

// "An account was successfully logged on." for (family/provider, event id).
const char* activity_name(ProviderFamily family, std::string_view provider, int64_t event_id);

// "Interactive", "Network", "RemoteInteractive" ... for logon types 0..13.
const char* logon_type_name(int64_t logon_type);

// "bad user name or password" for 0xc000006d ... (the NTSTATUS codes of failed logons);
// for the Kerberos events (4768, 4769, 4771-4773) the Kerberos result code's meaning.
const char* status_name(int64_t event_id, uint32_t status);

// The text of a parameter message cited as %%N: "TokenElevationTypeDefault (1)" for
// %%1936, "Unknown user name or bad password." for %%2313 ...; nullptr when unknown.
const char* param_message(std::string_view text);

// "NT AUTHORITY\SYSTEM" for S-1-5-18, "BUILTIN\Administrators" for S-1-5-32-544,
// "Administrator" for a domain's S-1-5-21-...-500 ...; nullptr for others.
const char* well_known_sid_name(std::string_view sid);

}  // namespace sqlhunt::winevt
