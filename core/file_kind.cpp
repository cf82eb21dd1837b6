#include "core/file_kind.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include "core/error.h"
#include "core/file_source.h"

namespace sqlhunt::files {
namespace {

bool starts(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::map<Kind, std::vector<std::string>>& readers() {
  static std::map<Kind, std::vector<std::string>> m;
  return m;
}
std::mutex& readers_mutex() {
  static std::mutex m;
  return m;
}

// An auditd record line: "type=X msg=audit(" or, in merged logs, "node=H type=X msg=audit(".
bool is_audit_line(std::string_view line) {
  if (starts(line, "node=")) {
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return false;
    line.remove_prefix(sp + 1);
  }
  if (!starts(line, "type=")) return false;
  const size_t sp = line.find(' ');
  return sp != std::string_view::npos && starts(line.substr(sp + 1), "msg=audit(");
}

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kEmpty: return "empty";
    case Kind::kText: return "text";
    case Kind::kJson: return "a JSON export";
    case Kind::kAuditLog: return "a Linux audit log";
    case Kind::kZeekTsv: return "a Zeek log (TSV)";
    case Kind::kXml: return "an XML document";
    case Kind::kEvtx: return "a Windows event log (EVTX)";
    case Kind::kSqlite: return "an SQLite database";
    case Kind::kElf: return "an ELF executable";
    case Kind::kPe: return "a Windows executable (PE)";
    case Kind::kPdf: return "a PDF document";
    case Kind::kZip: return "a ZIP archive";
    case Kind::kPcap: return "a packet capture (pcap)";
    case Kind::kBinary: return "binary data";
  }
  return "text";
}

Kind sniff(std::string_view head) {
  if (head.empty()) return Kind::kEmpty;
  // An EVTX file, or one of its 64 KiB chunks saved alone (carved from a disk image).
  if (starts(head, std::string_view("ElfFile\0", 8)) || starts(head, std::string_view("ElfChnk\0", 8)))
    return Kind::kEvtx;
  if (starts(head, std::string_view("SQLite format 3\0", 16))) return Kind::kSqlite;
  if (starts(head, "\x7f" "ELF")) return Kind::kElf;
  if (starts(head, "%PDF-")) return Kind::kPdf;
  if (starts(head, "PK\x03\x04") || starts(head, "PK\x05\x06")) return Kind::kZip;
  if (starts(head, "\xd4\xc3\xb2\xa1") || starts(head, "\xa1\xb2\xc3\xd4") ||
      starts(head, "\x4d\x3c\xb2\xa1") || starts(head, "\xa1\xb2\x3c\x4d") ||
      starts(head, std::string_view("\x0a\x0d\x0d\x0a", 4)))
    return Kind::kPcap;
  if (starts(head, "MZ") && head.size() >= 64) return Kind::kPe;
  // Text forms: after a BOM and blank lines.
  std::string_view t = head;
  if (starts(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n')) t.remove_prefix(1);
  if (t.empty()) return Kind::kText;
  // An audit log: a whole line of it is a record. Any line, not only the first: a log
  // damaged by a crash (a block of NULs, a torn line) is still an audit log, and the
  // reader turns the damage into parse_error rows.
  for (std::string_view rest = t; !rest.empty();) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;  // the last line may be cut by the 4 KB
    std::string_view line = rest.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_audit_line(line)) return Kind::kAuditLog;
    rest.remove_prefix(end + 1);
  }
  // NUL bytes mean binary (a text format never holds them; UTF-16 is not read anyway).
  if (std::memchr(head.data(), '\0', head.size())) return Kind::kBinary;
  if (t[0] == '{' || t[0] == '[') return Kind::kJson;
  if (starts(t, "#separator")) return Kind::kZeekTsv;
  if (starts(t, "<?xml") || starts(t, "<Event") || starts(t, "<Events")) return Kind::kXml;
  // A file of one line, no newline in its first 4 KB.
  if (t.find('\n') == std::string_view::npos && is_audit_line(t)) return Kind::kAuditLog;
  return Kind::kText;
}

Sniffed sniff_file(const std::string& path) {
  ByteReader bytes(path);
  std::string head(4096, '\0');
  size_t got = 0;
  while (got < head.size()) {
    const size_t n = bytes.read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  Sniffed s;
  s.gzip = bytes.compressed();
  s.kind = sniff(head);
  return s;
}

ReadsKinds::ReadsKinds(const char* table, std::initializer_list<Kind> kinds) {
  std::lock_guard<std::mutex> lock(readers_mutex());
  for (Kind k : kinds) {
    auto& v = readers()[k];
    if (std::find(v.begin(), v.end(), table) == v.end()) v.push_back(table);
  }
}

std::vector<std::string> tables_reading(Kind kind) {
  std::lock_guard<std::mutex> lock(readers_mutex());
  auto it = readers().find(kind);
  return it == readers().end() ? std::vector<std::string>{} : it->second;
}

Sniffed check(const std::string& path, const char* table, std::initializer_list<Kind> accepted) {
  const Sniffed s = sniff_file(path);
  if (s.kind == Kind::kText || s.kind == Kind::kEmpty) return s;
  if (std::find(accepted.begin(), accepted.end(), s.kind) != accepted.end()) return s;
  std::string msg = "'" + path + "' is " + kind_name(s.kind) + (s.gzip ? " (gzip-compressed)" : "");
  std::vector<std::string> others;
  for (const auto& t : tables_reading(s.kind))
    if (t != table) others.push_back(t);
  std::sort(others.begin(), others.end());  // registration order is the linker's, not ours
  if (!others.empty()) {
    msg += ": read it with ";
    for (size_t i = 0; i < others.size(); ++i) msg += (i ? i + 1 == others.size() ? " or " : ", " : "") + others[i];
  } else {
    msg += ", which " + std::string(table) + " does not read";
  }
  throw Error(msg);
}

}  // namespace sqlhunt::files
