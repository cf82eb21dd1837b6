#include "vtabs/win_events/evtx_value.h"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/time.h"

namespace sqlhunt::winevt {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// windows-1252's 0x80..0x9F (the rest of the high half is Latin-1); 0 = undefined.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void append_ansi(std::string& out, const uint8_t* p, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    const uint8_t c = p[i];
    if (c == 0) return;
    if (c < 0x80) out.push_back(static_cast<char>(c));
    else if (c < 0xA0) put_utf8(out, kCp1252High[c - 0x80] ? kCp1252High[c - 0x80] : 0xFFFD);
    else put_utf8(out, c);
  }
}

void append_hex_bytes(std::string& out, const uint8_t* p, size_t size) {
  const size_t at = out.size();
  out.resize(at + 2 * size);
  char* d = out.data() + at;
  for (size_t i = 0; i < size; ++i) {
    d[2 * i] = kHexUpper[p[i] >> 4];
    d[2 * i + 1] = kHexUpper[p[i] & 15];
  }
}

template <class T>
void append_number(std::string& out, T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_hex_int(std::string& out, uint64_t v) {
  char buf[20];
  buf[0] = '0';
  buf[1] = 'x';
  auto r = std::to_chars(buf + 2, buf + sizeof buf, v, 16);
  out.append(buf, r.ptr);
}

void append_guid(std::string& out, const uint8_t* p) {
  char buf[38];
  auto hex = [&](char* d, uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v >>= 4) d[i] = kHexUpper[v & 15];
  };
  buf[0] = '{';
  hex(buf + 1, le32(p), 8);
  buf[9] = '-';
  hex(buf + 10, le16(p + 4), 4);
  buf[14] = '-';
  hex(buf + 15, le16(p + 6), 4);
  buf[19] = '-';
  hex(buf + 20, p[8], 2);
  hex(buf + 22, p[9], 2);
  buf[24] = '-';
  for (int i = 0; i < 6; ++i) hex(buf + 25 + 2 * i, p[10 + i], 2);
  buf[37] = '}';
  out.append(buf, sizeof buf);
}

// S-R-A-S1-S2...; false when the bytes are not a whole SID.
bool append_sid(std::string& out, const uint8_t* p, size_t size) {
  if (size < 8) return false;
  const size_t count = p[1];
  if (8 + 4 * count > size) return false;
  uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | p[i];
  out += "S-";
  append_number(out, static_cast<unsigned>(p[0]));
  out.push_back('-');
  if (authority >= (1ull << 32)) append_hex_int(out, authority);  // as Windows writes it
  else append_number(out, authority);
  for (size_t i = 0; i < count; ++i) {
    out.push_back('-');
    append_number(out, le32(p + 8 + 4 * i));
  }
  return true;
}

// YYYY-MM-DDTHH:MM:SS.fffffffZ from whole milliseconds and the 100 ns ticks within one.
void append_iso7(std::string& out, int64_t epoch_ms_floor, unsigned ticks_in_ms) {
  char buf[timefmt::kIsoLength];
  timefmt::format_iso_ms(epoch_ms_floor, buf);  // ...SS.mmmZ
  out.append(buf, 23);                          // up to and with the milliseconds
  char t[5];
  t[0] = static_cast<char>('0' + ticks_in_ms / 1000);
  t[1] = static_cast<char>('0' + ticks_in_ms / 100 % 10);
  t[2] = static_cast<char>('0' + ticks_in_ms / 10 % 10);
  t[3] = static_cast<char>('0' + ticks_in_ms % 10);
  t[4] = 'Z';
  out.append(t, 5);  // 100 ns ticks within the millisecond: 0..9999, 4 digits
}

void append_systemtime(std::string& out, const uint8_t* p) {
  const unsigned year = le16(p), month = le16(p + 2), day = le16(p + 6), hour = le16(p + 8),
                 minute = le16(p + 10), second = le16(p + 12), ms = le16(p + 14);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60 || ms > 999 || year > 9999) {
    append_hex_bytes(out, p, 16);
    return;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u.%03u0000Z", year,
                              month, day, hour, minute, second, ms);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace

namespace detail {
size_t element_size(uint8_t scalar, size_t total) {
  switch (scalar) {
    case vt::kInt8: case vt::kUInt8: return 1;
    case vt::kInt16: case vt::kUInt16: return 2;
    case vt::kInt32: case vt::kUInt32: case vt::kReal32: case vt::kBool: case vt::kHexInt32: return 4;
    case vt::kInt64: case vt::kUInt64: case vt::kReal64: case vt::kFileTime: case vt::kHexInt64: return 8;
    case vt::kGuid: case vt::kSysTime: return 16;
    case vt::kSizeT: return total % 8 == 0 ? 8 : 4;
    default: return 0;
  }
}
}  // namespace detail

void append_utf16(std::string& out, const uint8_t* p, size_t bytes) {
  const size_t units = bytes / 2;
  out.reserve(out.size() + units);
  size_t i = 0;
  for (;;) {
    // ASCII runs, the common case, a unit at a time without the general decode
    size_t j = i;
    while (j < units && p[2 * j + 1] == 0 && p[2 * j] != 0 && p[2 * j] < 0x80) ++j;
    if (j > i) {
      const size_t at = out.size();
      out.resize(at + (j - i));
      char* d = out.data() + at;
      for (size_t k = i; k < j; ++k) *d++ = static_cast<char>(p[2 * k]);
      i = j;
    }
    if (i >= units) return;
    uint32_t u = le16(p + 2 * i);
    if (u == 0) return;
    ++i;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i < units) {
        const uint32_t lo = le16(p + 2 * i);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          ++i;
          put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
          continue;
        }
      }
      u = 0xFFFD;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      u = 0xFFFD;
    }
    put_utf8(out, u);
  }
}

void append_filetime(std::string& out, uint64_t ft) {
  const int64_t ticks = static_cast<int64_t>(ft) - static_cast<int64_t>(kFiletimeUnixEpoch);
  // floor to milliseconds, the remainder in 100 ns ticks
  int64_t ms = ticks / 10000;
  int64_t rem = ticks % 10000;
  if (rem < 0) {
    rem += 10000;
    --ms;
  }
  append_iso7(out, ms, static_cast<unsigned>(rem));
}

std::optional<uint64_t> value_as_uint(uint8_t type, const uint8_t* p, size_t size) {
  switch (type) {
    case vt::kInt8: if (size == 1) return static_cast<uint64_t>(static_cast<int8_t>(p[0])); break;
    case vt::kUInt8: if (size == 1) return p[0]; break;
    case vt::kInt16: if (size == 2) return static_cast<uint64_t>(static_cast<int16_t>(le16(p))); break;
    case vt::kUInt16: if (size == 2) return le16(p); break;
    case vt::kInt32: if (size == 4) return static_cast<uint64_t>(static_cast<int32_t>(le32(p))); break;
    case vt::kUInt32: case vt::kHexInt32: case vt::kBool: if (size == 4) return le32(p); break;
    case vt::kInt64: case vt::kUInt64: case vt::kHexInt64: if (size == 8) return le64(p); break;
    case vt::kSizeT:
      if (size == 4) return le32(p);
      if (size == 8) return le64(p);
      break;
    case vt::kString: {
      uint64_t v = 0;
      size_t n = 0;
      for (size_t i = 0; i + 1 < size; i += 2, ++n) {
        const uint16_t u = le16(p + i);
        if (u == 0) break;
        if (u < '0' || u > '9' || v > (UINT64_MAX - 9) / 10) return std::nullopt;
        v = v * 10 + (u - '0');
      }
      if (n) return v;
      break;
    }
    default: break;
  }
  return std::nullopt;
}

size_t element_count(uint8_t type, const uint8_t* p, size_t size) {
  return for_each_element(type, p, size, [](uint8_t, const uint8_t*, size_t) {});
}

void append_value(std::string& out, uint8_t type, const uint8_t* p, size_t size) {
  if (type & vt::kArray) {
    // Text of an array where one text is wanted (an attribute, XML content): the
    // elements joined by ", ". Element-wise uses call for_each_element themselves.
    bool first = true;
    for_each_element(type, p, size, [&](uint8_t t, const uint8_t* q, size_t n) {
      if (!first) out += ", ";
      first = false;
      append_value(out, t, q, n);
    });
    return;
  }
  switch (type) {
    case vt::kNull: return;
    case vt::kString: return append_utf16(out, p, size);
    case vt::kAnsi: return append_ansi(out, p, size);
    case vt::kInt8: if (size == 1) return append_number(out, static_cast<int8_t>(p[0])); break;
    case vt::kUInt8: if (size == 1) return append_number(out, static_cast<unsigned>(p[0])); break;
    case vt::kInt16: if (size == 2) return append_number(out, static_cast<int16_t>(le16(p))); break;
    case vt::kUInt16: if (size == 2) return append_number(out, le16(p)); break;
    case vt::kInt32: if (size == 4) return append_number(out, static_cast<int32_t>(le32(p))); break;
    case vt::kUInt32: if (size == 4) return append_number(out, le32(p)); break;
    case vt::kInt64: if (size == 8) return append_number(out, static_cast<int64_t>(le64(p))); break;
    case vt::kUInt64: if (size == 8) return append_number(out, le64(p)); break;
    case vt::kReal32:
      if (size == 4) {
        float f;
        std::memcpy(&f, p, 4);
        return append_number(out, f);
      }
      break;
    case vt::kReal64:
      if (size == 8) {
        double d;
        std::memcpy(&d, p, 8);
        return append_number(out, d);
      }
      break;
    case vt::kBool: {
      bool any = false;
      for (size_t i = 0; i < size; ++i) any |= p[i] != 0;
      out += any ? "true" : "false";
      return;
    }
    case vt::kGuid: if (size == 16) return append_guid(out, p); break;
    case vt::kSizeT: case vt::kHexInt32: case vt::kHexInt64:
      if (auto v = value_as_uint(type, p, size)) return append_hex_int(out, *v);
      break;
    case vt::kFileTime: if (size == 8 && filetime_valid(le64(p))) return append_filetime(out, le64(p)); break;
    case vt::kSysTime: if (size == 16) return append_systemtime(out, p); break;
    case vt::kSid: if (append_sid(out, p, size)) return; break;
    default: break;  // binary, handles, unknown types: hex below
  }
  append_hex_bytes(out, p, size);
}

}  // namespace sqlhunt::winevt
