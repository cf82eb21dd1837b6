// vtabs/alerts/entities.h — a Sentinel alert's Entities as a flat list (pure, no SQLite).
//
// Sentinel serialises an alert's entities with Json.NET's reference handling: the first
// time an object appears it is written in full with "$id": "4"; every later mention is
// {"$ref": "4"}. So an account's Host, a process's ParentProcess, ImageFile and Account
// are usually references, and an entity seen first inside another one is nested there.
// parse_entities() undoes that:
//
//   * every object with both "$id" and "Type" is one Entity, in document order, nested
//     ones included (a mention by $ref is the same entity, not a new one);
//   * `properties` is the entity with every {"$ref"} replaced by the object it names,
//     recursively; a reference back to an object being expanded (a cycle) stays
//     {"$ref": "N"}, so the result is finite; so does an expansion past kMaxNodes
//     values (a reference graph built to explode), or once all entities' properties
//     together reach kExpansionFactor times the input (plus kExpansionFloor), with a
//     note in `error`: memory and time stay linear in the input;
//   * a $ref to an $id that does not exist stays {"$ref": "N"} and the entity's
//     `error` says "unknown $ref 'N'"; a duplicate $id is reported the same way
//     (the first object with that id is the one references resolve to).
//
// Derived columns (NULL when empty or absent), read from the resolved entity:
//   name          a readable value by Type: host HostName (else NetBiosName, FQDN),
//                 ip Address, account Name (as written; NTDomain and UPNSuffix stay in
//                 properties), process CommandLine
//                 (else its ImageFile's Name), file Name, filehash Value, url Url, dns
//                 DomainName, registry-key Hive\Key, registry-value Name,
//                 host-logon-session SessionId, mailbox MailboxPrimaryAddress,
//                 cloud-application Name, otherwise Name/FriendlyName/DisplayName
//   address       ip: Address
//   host_name     host: HostName; other types: their Host's HostName
//   account_name  account: Name; process and logon session: their Account's Name
//   command_line  process: CommandLine
//   process_id    process: ProcessId as an integer, whether written 0x4e55 or 6699
//                 (text that is neither leaves it NULL and says so in `error`)
//   parent_entity_id  process: the $id of its ParentProcess. (Where an entity happens
//                 to be nested is an artifact of serialisation order, not a relation,
//                 so it is not used.)
//
// The input may be the Entities text itself, a JSON string holding it (decoded again),
// one entity object, or an array; anything else is a parse error for the whole input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::alerts {

struct Entity {
  std::string entity_id;  // "$id", as text
  std::string type;       // "Type", as written (host, ip, account, process, ...)
  std::optional<std::string> name, address, host_name, account_name, command_line;
  std::optional<int64_t> process_id;
  std::optional<std::string> parent_entity_id;
  std::string properties;  // the resolved entity, compact JSON
  std::string error;       // unknown references, a bad ProcessId, a cut expansion
};

struct EntityList {
  std::vector<Entity> entities;
  std::string error;  // the input as a whole is not JSON (then `entities` is empty)
};

inline constexpr size_t kMaxNodes = 10000;  // values one entity's expansion may produce
inline constexpr int kMaxDepth = 256;        // nesting the walk follows
// Bytes the `properties` of all entities of one input may hold together:
// kExpansionFactor times the input plus kExpansionFloor. Past that, references stay
// {"$ref"} and nested entities are written as references (see entities.cpp), with a
// note in `error`. Real exports expand far less (every alert of the shared samples
// under 3 times).
inline constexpr size_t kExpansionFactor = 16;
inline constexpr size_t kExpansionFloor = 1u << 20;

EntityList parse_entities(std::string_view json);

// "0x4e55" -> 20053, "6699" -> 6699; nullopt for anything else (or out of range).
std::optional<int64_t> parse_process_id(std::string_view text);

}  // namespace sqlhunt::alerts
