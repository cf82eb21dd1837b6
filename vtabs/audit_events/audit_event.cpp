// One audit event's columns, computed lazily from its records (EventView): type,
// syscall, ids, names, terminal, argv/cmdline with the hidden-argument checks, paths
// and the records JSON. Over ~500 lines because each column is a short method over the
// same parsed records; what has a job of its own lives apart (audit_value: decoding,
// syscalls: the tables, event_assembler: grouping records into events).
#include "vtabs/audit_events/audit_event.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

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

// The bytes that make an argument need shell quotes: controls and space, quotes,
// backslash, DEL and the shell's metacharacters.
struct QuoteTable {
  bool special[256] = {};
  QuoteTable() {
    for (int c = 0; c <= ' '; ++c) special[c] = true;
    for (unsigned char c : std::string_view("'\"\\$`;&|<>()*?[#~{}!\x7f")) special[c] = true;
  }
};
const QuoteTable kQuote;

bool needs_quotes(std::string_view a) {
  if (a.empty()) return true;
  for (unsigned char c : a)
    if (kQuote.special[c]) return true;
  return false;
}

// "a12" -> 12, "a3[4]" -> 3 with chunk 3 + 1 (0 is "not chunked"); "a3_len", "argc" and
// the rest are not arguments. Any number of digits: an index too large for 64 bits is
// kept as the largest one (it goes to the end of argv all the same).
bool argument_key(std::string_view key, uint64_t& index, uint64_t& chunk) {
  if (key.size() < 2 || key[0] != 'a') return false;
  auto number = [&key](size_t& i, uint64_t& n) {
    const size_t start = i;
    n = 0;
    for (; i < key.size() && key[i] >= '0' && key[i] <= '9'; ++i)
      n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX - 1 : n * 10 + static_cast<uint64_t>(key[i] - '0');
    return i > start;
  };
  size_t i = 1;
  if (!number(i, index)) return false;
  chunk = 0;
  if (i == key.size()) return true;
  if (key[i] != '[' || key.back() != ']') return false;
  ++i;
  uint64_t c = 0;
  if (!number(i, c) || i + 1 != key.size()) return false;
  chunk = c + 1;
  return true;
}

std::string with_commas(uint64_t n) {
  std::string s = std::to_string(n);
  for (size_t i = s.size(); i > 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

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
    r.kind = e.spans[i].kind;
    r.fields_parsed = false;
    r.line = e.spans[i].line;
  }
}

void prepare_event(Event& e, PickMask wanted) {
  e.picks.wanted = 0;
  if (!e.is_record || wanted == 0) return;
  // The SYSCALL record's fields win: a record before it may be overridden by it, none
  // after it can change what it gave.
  size_t syscall = e.spans.size();
  for (size_t i = 0; i < e.spans.size(); ++i)
    if (e.type(i) == "SYSCALL") {
      syscall = i;
      break;
    }
  e.picks.found = 0;
  PickMask won = 0;
  for (size_t i = 0; i < e.spans.size(); ++i) {
    if (syscall < i && (e.picks.found & wanted) == wanted) break;  // nothing left to find
    if ((won & wanted) == wanted) break;
    pick_from_record(e.header(i), e.spans[i].kind, i == syscall, wanted, e.picks, won);
  }
  e.picks.wanted = wanted;
}

std::vector<ParsedRecord>& EventView::records() {
  if (parsed_) return records_;
  parsed_ = true;
  fill_records(*event_, records_);
  has_syscall_ = false;
  for (size_t i = 0; i < records_.size(); ++i)
    if (records_[i].header.type == "SYSCALL") {
      has_syscall_ = true;
      syscall_index_ = i;
      break;
    }
  return records_;
}

const std::vector<Field>& EventView::fields(ParsedRecord& r) {
  if (!r.fields_parsed) scan_fields(r);
  return r.fields;
}

const Field* EventView::find(std::string_view key, bool enriched_only) {
  const Picks& picks = event_->picks;
  if (picks.wanted) {
    const Pick p = pick_of(key, enriched_only);
    if (p != kPickCount && (picks.wanted & pick_bit(p))) {
      if (!picks.has(p)) return nullptr;
      picked_.key = key;
      picked_.value = picks.value[p];
      picked_.enriched = enriched_only;
      return &picked_;
    }
  }
  auto& recs = records();
  const RecordKind kind = enriched_only ? RecordKind::kGeneral : kind_of_key(key);
  auto search = [&](ParsedRecord& r) -> const Field* {
    // General records may hold any field (USER_CMD has cwd=); specialised ones only theirs.
    if (r.kind != kind && r.kind != RecordKind::kGeneral) return nullptr;
    for (const Field& f : fields(r))
      if (f.enriched == enriched_only && f.key == key) return &f;
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
  const Event& e = *event_;
  for (size_t i = 0; i < e.spans.size(); ++i)
    if (e.type(i) == "SYSCALL") return "SYSCALL";
  return e.spans.empty() ? std::string_view() : e.type(0);
}

std::string EventView::record_types() {
  const Event& e = *event_;
  std::string out;
  for (size_t i = 0; i < e.spans.size(); ++i) {
    if (i) out.push_back(',');
    out.append(e.type(i));
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
  const Field* s = find("syscall");
  if (!s) return std::nullopt;
  const std::string_view number = s->value;  // (the next find() may reuse *s)
  const Field* a = find("arch");
  const std::string_view name = a ? syscall_name(a->value, number) : std::string_view();
  return name.empty() ? number : name;
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
  const Field* f = find(key);
  if (!f) return std::nullopt;
  // (find() never returns an EXECVE record's field for a named key: a0.. are argv's)
  const Pick p = pick_of(key, false);
  const bool hex = p != kPickCount ? pick_encoded(p) : encoded_field(key, /*execve=*/false);
  auto v = decode_value(f->value, hex, scratch_, p == kPickKey);
  if (!v || (unknown_is_null && (*v == "?" || *v == "(none)"))) return std::nullopt;
  return v;
}

std::optional<std::string_view> EventView::enriched(std::string_view key) {
  const Field* f = find(key, /*enriched_only=*/true);
  if (!f) return std::nullopt;
  return decode_value(f->value, false, scratch_);
}

std::optional<std::string_view> EventView::terminal() {
  auto t = text("terminal", true);
  // One terminal, two spellings: sudo's PAM records write /dev/pts/0, its USER_CMD pts/0.
  if (t && t->size() > 5 && t->substr(0, 5) == "/dev/") t->remove_prefix(5);
  return t;
}

std::optional<std::string_view> EventView::id_name(std::string_view key, std::string_view enriched_key,
                                                   const IdNames* names) {
  if (auto n = enriched(enriched_key)) return n;
  if (!names) return std::nullopt;
  const auto v = id(key);
  return v ? names->name(*v) : std::nullopt;
}

std::optional<std::string_view> EventView::account() {
  if (auto a = text("acct", true)) return a;
  for (const auto& [key, rich] : {std::pair<std::string_view, std::string_view>{"id", "ID"}, {"auid", "AUID"}}) {
    const auto v = id(key);
    if (!v) continue;
    if (auto n = id_name(key, rich, users_)) return n;
    scratch2_ = std::to_string(*v);
    return std::string_view(scratch2_);
  }
  return std::nullopt;
}

std::optional<int64_t> EventView::argc() {
  const Event& e = *event_;
  for (size_t i = 0; i < e.spans.size(); ++i) {
    if (e.spans[i].kind != RecordKind::kExecve) continue;
    FieldScanner scan(e.header(i));
    Field f;
    while (scan.next(f))
      if (!f.enriched && f.key == "argc") return parse_int(f.value);
  }
  return std::nullopt;
}

bool EventView::build_argv() {
  if (argv_built_) return has_argv_;
  argv_built_ = true;
  has_argv_ = false;
  pieces_.clear();
  args_.clear();
  argv_problem_.clear();
  std::optional<int64_t> argc;
  const Event& e = *event_;
  for (size_t i = 0; i < e.spans.size(); ++i) {
    if (e.spans[i].kind != RecordKind::kExecve) continue;
    has_argv_ = true;
    FieldScanner scan(e.header(i));
    Field f;
    uint64_t index, chunk;
    while (scan.next(f)) {
      if (f.enriched) continue;
      if (argument_key(f.key, index, chunk)) pieces_.push_back(Piece{index, chunk, f.value});
      else if (!argc && f.key == "argc") argc = parse_int(f.value);
    }
  }
  if (!has_argv_) return false;
  // The kernel writes a0, a1, ... in order (chunks in order too): sort only if not.
  auto before = [](const Piece& a, const Piece& b) { return a.index != b.index ? a.index < b.index : a.chunk < b.chunk; };
  if (!std::is_sorted(pieces_.begin(), pieces_.end(), before)) std::stable_sort(pieces_.begin(), pieces_.end(), before);

  // Arguments in index order; a missing index is an empty slot, up to a budget of
  // kMaxMissingArguments in all. What the kernel would never write is kept at the end:
  // a second aN, an aN beside aN[i] chunks, an index past the budget.
  std::vector<Argument> strays;
  std::string why;
  uint64_t next = 0, missing_budget = kMaxMissingArguments;
  auto note = [&why](const std::string& s) {
    if (why.find(s) != std::string::npos) return;
    if (!why.empty()) why += "; ";
    why += s;
  };
  const size_t n = pieces_.size();  // (copies may be appended below, past n)
  for (size_t p = 0; p < n;) {
    // The run of pieces with this index: its whole values, then its chunks.
    const uint64_t index = pieces_[p].index;
    size_t q = p;
    while (q < n && pieces_[q].index == index) ++q;
    size_t whole_end = p;
    while (whole_end < q && pieces_[whole_end].chunk == 0) ++whole_end;
    Argument arg;
    if (whole_end < q) {
      // Chunks, joined in order; any whole aN beside them is a stray.
      bool twice = false;
      for (size_t c = whole_end + 1; c < q; ++c) twice |= pieces_[c].chunk == pieces_[c - 1].chunk;
      if (!twice) {
        arg = Argument{static_cast<uint32_t>(whole_end), static_cast<uint32_t>(q - whole_end)};
      } else {
        // (rare) the first of each chunk number, copied to the end; the others are strays
        arg.first = static_cast<uint32_t>(pieces_.size());
        for (size_t c = whole_end; c < q; ++c) {
          if (c > whole_end && pieces_[c].chunk == pieces_[c - 1].chunk) {
            strays.push_back(Argument{static_cast<uint32_t>(c), 1});
            continue;
          }
          const Piece copy = pieces_[c];
          pieces_.push_back(copy);
        }
        arg.count = static_cast<uint32_t>(pieces_.size() - arg.first);
        note("a chunk of a" + std::to_string(index) + " is given twice");
      }
      for (size_t w = p; w < whole_end; ++w) strays.push_back(Argument{static_cast<uint32_t>(w), 1});
      if (whole_end > p) note("a" + std::to_string(index) + " is given both whole and in chunks");
    } else {
      arg = Argument{static_cast<uint32_t>(p), 1};
      for (size_t w = p + 1; w < q; ++w) strays.push_back(Argument{static_cast<uint32_t>(w), 1});
      if (q > p + 1) note("a" + std::to_string(index) + " is given more than once");
    }
    if (index >= next && index - next <= missing_budget) {
      missing_budget -= index - next;
      for (; next < index; ++next) args_.push_back(Argument{});
      args_.push_back(arg);
      next = index + 1;
    } else {
      strays.push_back(arg);
      note("argument a" + std::to_string(index) + " lies past more than " + with_commas(kMaxMissingArguments) +
           " missing arguments");
    }
    p = q;
  }
  if (argc && *argc > 0 && static_cast<uint64_t>(*argc) > next) {
    const uint64_t want = static_cast<uint64_t>(*argc);
    if (want - next <= missing_budget) {
      for (; next < want; ++next) args_.push_back(Argument{});
    } else {
      note("argc=" + std::to_string(want) + " but the log holds arguments up to a" + std::to_string(next ? next - 1 : 0));
    }
  }
  if (!strays.empty() || !why.empty()) {
    args_.insert(args_.end(), strays.begin(), strays.end());
    if (!strays.empty()) why += ": those are at the end of argv and cmdline";
    argv_problem_ = "EXECVE: " + why;
  }
  return true;
}

void EventView::append_argument(std::string& out, size_t a) {
  const Argument& arg = args_[a];
  for (uint32_t k = 0; k < arg.count; ++k) {
    auto v = decode_value(pieces_[arg.first + k].value, true, scratch_);
    if (v) out.append(*v);
  }
}

std::optional<std::string_view> EventView::argv_json() {
  if (!build_argv()) return std::nullopt;
  out_ = "[";
  for (size_t a = 0; a < args_.size(); ++a) {
    if (a) out_.push_back(',');
    if (args_[a].count == 0) {
      out_ += "null";
      continue;
    }
    scratch2_.clear();
    append_argument(scratch2_, a);
    json::append_string(out_, scratch2_);
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
  if (!build_argv()) return std::nullopt;
  out_.clear();
  for (size_t a = 0; a < args_.size(); ++a) {
    if (a) out_.push_back(' ');
    if (args_[a].count == 1) {
      // The common case: one piece, decoded without a copy when it needs none.
      auto v = decode_value(pieces_[args_[a].first].value, true, scratch_);
      append_shell_word(out_, v ? *v : std::string_view());
      continue;
    }
    scratch2_.clear();
    append_argument(scratch2_, a);
    append_shell_word(out_, scratch2_);
  }
  return std::string_view(out_);
}

const std::string& EventView::argv_problem() {
  build_argv();
  return argv_problem_;
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
