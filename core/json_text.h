// core/json_text.h — appending JSON text by hand, fast and always valid.
//
// Hot readers (audit records: a JSON object per record, millions per file) build their
// JSON columns directly into a std::string instead of through a DOM. The one rule that
// makes this safe is here: every string goes through append_string(), which escapes
// quotes, backslashes and control characters and replaces bytes that are not valid
// UTF-8 with U+FFFD, so a column is valid JSON whatever bytes a log held (auditd's hex
// fields decode to arbitrary bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sqlhunt::json {

// Appends `s` as a JSON string literal, quotes included.
void append_string(std::string& out, std::string_view s);

// Appends an integer literal.
void append_int(std::string& out, int64_t v);

// Is `s` valid UTF-8 (the form SQLite's TEXT promises its readers)?
bool is_valid_utf8(std::string_view s);

// Appends `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
void append_valid_utf8(std::string& out, std::string_view s);

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are not
// one (overlong forms, surrogates and code points past U+10FFFF count as invalid).
size_t utf8_sequence_length(std::string_view s, size_t i);

}  // namespace sqlhunt::json
