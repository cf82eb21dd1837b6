#include "vtabs/audit_events/audit_event.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/json_text.h"
#include "vtabs/audit_events/audit_value.h"
#include "vtabs/audit_events/syscalls.h"

namespace sqlhunt::audit {
namespace {

std::optional<int64_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  auto r = std::from_chars(b, e, v);
  if (r.ec != std::errc() || r.ptr != e) return std::nullopt;
  return v;
}

bool needs_quotes(std::string_view a) {
  if (a.empty()) return true;
  for (unsigned char c : a)
    if (c <= ' ' || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`' || c == ';' ||
        c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')' || c == '*' ||
        c == '?' || c == '[' || c == '#' || c == '~' || c == '{' || c == '}' || c == '!' ||
        c == 0x7f)
      return true;
  return false;
}

// "a12" -> 12, "a3[4]" -> 3 with chunk 4; "a3_len" and others -> nothing.
bool argument_index(std::string_view key, size_t& index, std::optional<size_t>& chunk) {
  if (key.size() < 2 || key[0] != 'a') return false;
  size_t i = 1, n = 0;
  while (i < key.size() && key[i] >= '0' && key[i] <= '9' && i < 8) n = n * 10 + (key[i++] - '0');
  if (i == 1) return false;
  index = n;
  chunk.reset();
  if (i == key.size()) return true;
  if (key[i] != '[' || key.back() != ']' || key.size() == i + 2) return false;
  size_t c = 0;
  for (size_t j = i + 1; j + 1 < key.size(); ++j) {
    if (key[j] < '0' || key[j] > '9' || j - i > 8) return false;
    c = c * 10 + (key[j] - '0');
  }
  chunk = c;
  return true;
}

constexpr size_t kMaxArguments = 1u << 17;  // the kernel's own limit is lower (MAX_ARG_STRINGS)

}  // namespace

namespace {
// The specialised record a field lives in besides general ones (SYSCALL, user-space
// and the rest), or kGeneral for a field no specialised record holds.
RecordKind kind_of_key(std::string_view key) {
  if (key == "cwd") return RecordKind::kCwd;
  if (key == "proctitle") return RecordKind::kProctitle;
  return RecordKind::kGeneral;
}
}  // namespace


void append_fields_json(std::string& out, const ParsedRecord& rec) {
  out.push_back('{');
  std::string scratch, text, keybuf;
  std::map<std::string_view, int> seen;
  bool first = true;
  for (const Field& f : rec.fields) {
    if (f.key.empty()) {
      if (!text.empty()) text.push_back(' ');
      text.append(f.value);
      continue;
    }
    if (!first) out.push_back(',');
    first = false;
    const int n = ++seen[f.key];
    if (n == 1) {
      json::append_string(out, f.key);
    } else {
      keybuf.assign(f.key);
      keybuf += "#" + std::to_string(n);
      json::append_string(out, keybuf);
    }
    out.push_back(':');
    const bool hex = !f.enriched && encoded_field(f.key, rec.execve());
    auto v = decode_value(f.value, hex, scratch, f.key == "key");
    if (v) json::append_string(out, *v);
    else out += "null";
  }
  if (!text.empty()) {
    if (!first) out.push_back(',');
    out += "\"text\":";
    json::append_string(out, text);
  }
  out.push_back('}');
}

void EventView::fill_records(const Event& e, std::vector<ParsedRecord>& out) {
  const size_t n = e.is_record ? e.spans.size() : 0;
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    ParsedRecord& r = out[i];
    r.header = e.header(i);
    r.kind = record_kind(r.header.type);
    r.fields_parsed = false;
    r.line = e.spans[i].line;
  }
}

void prepare_event(Event& event) {
  EventView::fill_records(event, event.parsed);
  // General and CWD records here; EXECVE (argv) is left to the query's thread, which
  // keeps the two threads' shares of a column query about even.
  for (ParsedRecord& r : event.parsed)
    if (r.kind == RecordKind::kGeneral || r.kind == RecordKind::kCwd) scan_fields(r);
  event.prepared = true;
}

std::vector<ParsedRecord>& EventView::records() {
  if (parsed_) return *recs_;
  parsed_ = true;
  if (event_->prepared) {
    recs_ = &event_->parsed;
  } else {
    fill_records(*event_, records_);
    recs_ = &records_;
  }
  has_syscall_ = false;
  for (size_t i = 0; i < recs_->size(); ++i)
    if ((*recs_)[i].header.type == "SYSCALL") {
      has_syscall_ = true;
      syscall_index_ = i;
      break;
    }
  return *recs_;
}

const std::vector<Field>& EventView::fields(ParsedRecord& r) {
  if (!r.fields_parsed) scan_fields(r);
  return r.fields;
}

const Field* EventView::find(std::string_view key, bool enriched_only, const ParsedRecord** in) {
  auto& recs = records();
  const RecordKind kind = enriched_only ? RecordKind::kGeneral : kind_of_key(key);
  auto search = [&](ParsedRecord& r) -> const Field* {
    // General records may hold any field (USER_CMD has cwd=); specialised ones only theirs.
    if (r.kind != kind && r.kind != RecordKind::kGeneral) return nullptr;
    for (const Field& f : fields(r))
      if (f.enriched == enriched_only && f.key == key) {
        if (in) *in = &r;
        return &f;
      }
    return nullptr;
  };
  if (has_syscall_)
    if (const Field* f = search(recs[syscall_index_])) return f;
  for (size_t i = 0; i < recs.size(); ++i) {
    if (has_syscall_ && i == syscall_index_) continue;
    if (const Field* f = search(recs[i])) return f;
  }
  return nullptr;
}

std::string_view EventView::type() {
  auto& recs = records();
  if (has_syscall_) return "SYSCALL";
  return recs.empty() ? std::string_view() : recs.front().header.type;
}

std::string EventView::record_types() {
  std::string out;
  for (auto& r : records()) {
    if (!out.empty()) out.push_back(',');
    out.append(r.header.type);
  }
  return out;
}

std::optional<std::string_view> EventView::arch() {
  const Field* f = find("arch");
  if (!f) return std::nullopt;
  const std::string_view name = arch_name(f->value);
  return name.empty() ? f->value : name;
}

std::optional<std::string_view> EventView::syscall() {
  const Field* a = find("arch");
  const Field* s = find("syscall");
  if (!s) return std::nullopt;
  const std::string_view name = a ? syscall_name(a->value, s->value) : std::string_view();
  return name.empty() ? s->value : name;
}

std::optional<int64_t> EventView::success() {
  if (const Field* f = find("success")) {
    if (f->value == "yes") return 1;
    if (f->value == "no") return 0;
  }
  if (const Field* f = find("res")) {
    std::string_view v = f->value;
    if (!v.empty() && v.front() == '"') v = v.substr(1, v.size() >= 2 ? v.size() - 2 : 0);
    if (v == "success" || v == "yes" || v == "1") return 1;
    if (v == "failed" || v == "no" || v == "0") return 0;
  }
  return std::nullopt;
}

std::optional<int64_t> EventView::integer(std::string_view key) {
  const Field* f = find(key);
  return f ? parse_int(f->value) : std::nullopt;
}

std::optional<int64_t> EventView::id(std::string_view key) {
  auto v = integer(key);
  if (v && (*v == 4294967295LL || *v == -1)) return std::nullopt;
  return v;
}

std::optional<std::string_view> EventView::text(std::string_view key, bool unknown_is_null) {
  const ParsedRecord* in = nullptr;
  const Field* f = find(key, false, &in);
  if (!f) return std::nullopt;
  auto v = decode_value(f->value, encoded_field(key, in->execve()), scratch_, key == "key");
  if (!v || (unknown_is_null && (*v == "?" || *v == "(none)"))) return std::nullopt;
  return v;
}

std::optional<std::string_view> EventView::enriched(std::string_view key) {
  const Field* f = find(key, /*enriched_only=*/true);
  if (!f) return std::nullopt;
  return decode_value(f->value, false, scratch_);
}

std::optional<int64_t> EventView::argc() {
  for (auto& r : records())
    if (r.execve())
      for (const Field& f : fields(r))
        if (f.key == "argc") return parse_int(f.value);
  return std::nullopt;
}

std::string& EventView::argument_slot(size_t index) {
  if (index >= argn_) {
    if (arg_text_.size() <= index) {
      arg_text_.resize(index + 1);
      arg_present_.resize(index + 1);
    }
    for (size_t i = argn_; i <= index; ++i) {
      arg_text_[i].clear();
      arg_present_[i] = 0;
    }
    argn_ = index + 1;
  }
  arg_present_[index] = 1;
  return arg_text_[index];
}

bool EventView::collect_argv() {
  bool any = false;
  argn_ = 0;
  std::map<size_t, std::map<size_t, std::string>> chunks;  // argument -> chunk -> text (rare)
  for (auto& r : records()) {
    if (!r.execve()) continue;
    any = true;
    for (const Field& f : fields(r)) {
      size_t index;
      std::optional<size_t> chunk;
      if (f.enriched || !argument_index(f.key, index, chunk) || index >= kMaxArguments) continue;
      auto v = decode_value(f.value, true, scratch_);
      const std::string_view text = v ? *v : std::string_view();
      if (chunk) chunks[index][*chunk].assign(text);
      else argument_slot(index).assign(text);
    }
  }
  for (auto& [index, parts] : chunks) {
    std::string& joined = argument_slot(index);
    joined.clear();
    for (auto& [n, part] : parts) joined += part;
  }
  if (auto n = argc(); n && *n > 0 && static_cast<size_t>(*n) > argn_ && static_cast<size_t>(*n) <= kMaxArguments) {
    argument_slot(static_cast<size_t>(*n) - 1);
    arg_present_[static_cast<size_t>(*n) - 1] = 0;  // promised by argc, missing from the log
  }
  return any;
}

std::optional<std::string_view> EventView::argv_json() {
  if (!collect_argv()) return std::nullopt;
  out_ = "[";
  for (size_t i = 0; i < argn_; ++i) {
    if (i) out_.push_back(',');
    if (arg_present_[i]) json::append_string(out_, arg_text_[i]);
    else out_ += "null";
  }
  out_.push_back(']');
  return std::string_view(out_);
}

void append_shell_word(std::string& out, std::string_view a) {
  if (!needs_quotes(a)) {
    out += a;
    return;
  }
  out.push_back('\'');
  for (char c : a) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  out.push_back('\'');
}

std::optional<std::string_view> EventView::cmdline() {
  if (!collect_argv()) return std::nullopt;
  out_.clear();
  for (size_t i = 0; i < argn_; ++i) {
    if (i) out_.push_back(' ');
    append_shell_word(out_, arg_text_[i]);
  }
  return std::string_view(out_);
}

std::optional<std::string> EventView::paths_json() {
  std::string out;
  std::string scratch;
  for (auto& r : records()) {
    if (r.kind != RecordKind::kPath) continue;
    out.push_back(out.empty() ? '[' : ',');
    const Field* item = nullptr;
    const Field* name = nullptr;
    const Field* nametype = nullptr;
    const Field* mode = nullptr;
    const Field* inode = nullptr;
    for (const Field& f : fields(r)) {
      if (f.enriched || f.inner) continue;
      if (f.key == "item" && !item) item = &f;
      else if (f.key == "name" && !name) name = &f;
      else if (f.key == "nametype" && !nametype) nametype = &f;
      else if (f.key == "mode" && !mode) mode = &f;
      else if (f.key == "inode" && !inode) inode = &f;
    }
    auto put_int = [&](const Field* f) {
      auto v = f ? parse_int(f->value) : std::nullopt;
      if (v) json::append_int(out, *v);
      else out += "null";
    };
    auto put_text = [&](const Field* f, bool hex) {
      auto v = f ? decode_value(f->value, hex, scratch) : std::nullopt;
      if (v) json::append_string(out, *v);
      else out += "null";
    };
    out += "{\"item\":";
    put_int(item);
    out += ",\"name\":";
    put_text(name, true);
    out += ",\"nametype\":";
    put_text(nametype, false);
    out += ",\"mode\":";
    put_text(mode, false);
    out += ",\"inode\":";
    put_int(inode);
    out.push_back('}');
  }
  if (out.empty()) return std::nullopt;
  out.push_back(']');
  return out;
}

std::string EventView::records_json() {
  std::string out = "[";
  bool first = true;
  for (auto& r : records()) {
    fields(r);
    if (!first) out.push_back(',');
    first = false;
    out += "{\"type\":";
    json::append_string(out, r.header.type);
    out += ",\"line\":";
    json::append_int(out, static_cast<int64_t>(r.line));
    out += ",\"fields\":";
    append_fields_json(out, r);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

}  // namespace sqlhunt::audit
