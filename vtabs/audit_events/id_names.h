// vtabs/audit_events/id_names.h — user and group names from the log's own machine.
//
// auditd writes numeric ids (uid=1000); only a log written with log_format=ENRICHED
// carries the names too. `ausearch -i` names the ids from the passwd and group files of
// the machine it runs on, which is wrong for a log copied from another host. IdNames
// reads the files of the host that wrote the log instead, given by the analyst
// (sqlhunt_config('audit.passwd', 'case/etc/passwd'), 'audit.group'):
//
//   passwd: name:password:uid:gid:gecos:home:shell     group: name:password:gid:members
//
// The name is the first field and the id the third in both. Blank lines, comments
// (#) and NIS entries (+, -) are not entries; a line whose third field is not a
// number is skipped too (it names nobody). When an id is listed twice the first line
// wins, as getpwuid() answers. The file must be a regular file of at most 64 MB.
//
// Loaded files are kept (process-wide) and read again only when the file changes
// (size, modification time or inode), so a query that filters many times reads once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sqlhunt::audit {

class IdNames {
 public:
  // The names in `path`. Throws sqlhunt::Error naming `setting` when the file cannot
  // be read or is not a regular file.
  static std::shared_ptr<const IdNames> load(const std::string& path, const std::string& setting);
  // Parses the text of a passwd or group file (for tests).
  static std::shared_ptr<const IdNames> parse(std::string_view text);

  std::optional<std::string_view> name(int64_t id) const;
  size_t size() const { return names_.size(); }

 private:
  void add_line(std::string_view line);
  std::unordered_map<uint32_t, std::string> names_;
};

}  // namespace sqlhunt::audit
