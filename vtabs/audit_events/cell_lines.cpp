#include "vtabs/audit_events/cell_lines.h"

namespace sqlhunt::audit {

void CellLines::reset(const char* text, size_t size, std::string_view node, uint64_t row) {
  null_ = text == nullptr;
  rest_ = null_ ? std::string_view() : std::string_view(text, size);
  // A final newline ends the last line; it starts no empty one.
  if (!rest_.empty() && rest_.back() == '\n') rest_.remove_suffix(1);
  node_ = node;
  row_ = row;
  offset_ = 0;
  any_ = false;
  done_ = false;
}

bool CellLines::next(SourceLine& out) {
  if (done_) return false;
  out = SourceLine();
  out.file = 0;
  out.line.number = row_;
  out.line.offset = offset_;
  if (null_ || (rest_.empty() && !any_)) {
    done_ = true;
    out.is_record = false;
    out.error = null_ ? "the record is NULL" : "the record is empty";
    return true;
  }
  const size_t nl = rest_.find('\n');
  std::string_view line = rest_.substr(0, nl);
  if (nl == std::string_view::npos) {
    rest_ = std::string_view();
    done_ = true;
  } else {
    rest_.remove_prefix(nl + 1);
  }
  offset_ += line.size() + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  any_ = true;
  out.line.text = line;
  out.is_record = parse_header(line, out.header, out.error);
  if (out.is_record && out.header.node.empty()) out.header.node = node_;
  flag_merged_records(out);
  return true;
}

}  // namespace sqlhunt::audit
