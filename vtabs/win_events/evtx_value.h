// vtabs/win_events/evtx_value.h — EVTX substitution values as the text Windows shows.
//
// An EVTX template instance carries its values typed (MS-EVEN6 2.2.19 / libyal's "Value
// types"). Each is rendered the way Windows' own renderer (EvtRender, Event Viewer's XML
// view, and so Sentinel's EventData) writes it, so an EVTX file and an export of the same
// event give the same text:
//
//   0x01 string, 0x02 ANSI  UTF-8 (ANSI read as windows-1252, evtxexport's default);
//                           cut at the first NUL (Windows strings end there)
//   0x03..0x0a integers     decimal
//   0x0b, 0x0c reals        shortest text that reads back to the same value
//   0x0d bool               "true" / "false" (any non-zero is true)
//   0x0e binary             upper-case hex, as in <Binary>
//   0x0f GUID               {54849625-5478-4994-A5BA-3E3B0328C30D}
//   0x10 size_t, 0x14, 0x15 hex integers: 0x3e7 (no padding: Windows writes 0x3e7,
//                           evtxexport 0x00000000000003e7)
//   0x11 FILETIME           2016-06-29T15:24:34.3460000Z (100 ns digits, as Windows)
//   0x12 SYSTEMTIME         2016-06-29T15:24:34.3460000Z
//   0x13 SID                S-1-5-21-...
//   0x20, 0x23, unknown     hex of the bytes
//   0x80 | t arrays         each element as above (see for_each_element)
//
// Malformed values (a SID shorter than its sub-authority count says, a FILETIME of 3
// bytes) render as the hex of their bytes: the text is still there to look at, and
// nothing reads past the value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::winevt {

namespace vt {
inline constexpr uint8_t kNull = 0x00, kString = 0x01, kAnsi = 0x02, kInt8 = 0x03, kUInt8 = 0x04,
                         kInt16 = 0x05, kUInt16 = 0x06, kInt32 = 0x07, kUInt32 = 0x08,
                         kInt64 = 0x09, kUInt64 = 0x0a, kReal32 = 0x0b, kReal64 = 0x0c,
                         kBool = 0x0d, kBinary = 0x0e, kGuid = 0x0f, kSizeT = 0x10,
                         kFileTime = 0x11, kSysTime = 0x12, kSid = 0x13, kHexInt32 = 0x14,
                         kHexInt64 = 0x15, kEvtHandle = 0x20, kBinXml = 0x21, kEvtXml = 0x23,
                         kArray = 0x80;
}

// UTF-16LE bytes to UTF-8, appended; stops at the first NUL character. Unpaired
// surrogates become U+FFFD, so the output is always valid UTF-8.
void append_utf16(std::string& out, const uint8_t* p, size_t bytes);

// Appends the text of one value (`type` as in the instance's descriptor).
void append_value(std::string& out, uint8_t type, const uint8_t* p, size_t size);

// Calls f(type, data, size) for every element of an array value (type has 0x80 set),
// with the element's scalar type; returns the number of elements. A string array is
// split at its NULs (a last NUL ends the last string, it does not start an empty one).
template <class F>
size_t for_each_element(uint8_t type, const uint8_t* p, size_t size, F&& f);

// The number of elements of an array value.
size_t element_count(uint8_t type, const uint8_t* p, size_t size);

// Integer value of an integer-typed value (0x03..0x0a, 0x0d, 0x10, 0x14, 0x15, and a
// string holding decimal digits); nullopt for other types or a wrong size.
std::optional<uint64_t> value_as_uint(uint8_t type, const uint8_t* p, size_t size);

// FILETIME: 100 ns ticks since 1601-01-01 UTC.
inline constexpr uint64_t kFiletimeUnixEpoch = 116444736000000000ull;
// 10000-01-01T00:00:00Z: a FILETIME at or past it is no time any source writes (and the
// conversions below would overflow near 2^63); such values render as hex and give no time.
inline constexpr uint64_t kFiletimeEnd = 2650467744000000000ull;
inline bool filetime_valid(uint64_t ft) { return ft < kFiletimeEnd; }
// Appends 2016-06-29T15:24:34.3460000Z.
void append_filetime(std::string& out, uint64_t filetime);
// Seconds since 1970 (may be negative: FILETIME 0 is 1601). `ft` must be valid.
inline double filetime_to_epoch(uint64_t ft) {
  return (static_cast<double>(static_cast<int64_t>(ft / 10) - static_cast<int64_t>(kFiletimeUnixEpoch / 10))) / 1e6;
}
// Milliseconds since 1970, rounded to the nearest (as `time` shows it).
inline int64_t filetime_to_epoch_ms(uint64_t ft) {
  const int64_t ticks = static_cast<int64_t>(ft) - static_cast<int64_t>(kFiletimeUnixEpoch);
  return ticks >= 0 ? (ticks + 5000) / 10000 : -((-ticks + 4999) / 10000);
}

inline uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline uint64_t le64(const uint8_t* p) {
  return static_cast<uint64_t>(le32(p)) | (static_cast<uint64_t>(le32(p + 4)) << 32);
}

// --- template implementation --------------------------------------------------------

namespace detail {
// Fixed element size of an array's scalar type, 0 for variable-size (strings, SIDs).
size_t element_size(uint8_t scalar_type, size_t total_size);
}

template <class F>
size_t for_each_element(uint8_t type, const uint8_t* p, size_t size, F&& f) {
  const uint8_t scalar = type & 0x7f;
  size_t n = 0;
  if (scalar == vt::kString) {
    size_t start = 0, i = 0;
    const size_t units = size / 2;
    for (; i < units; ++i) {
      if (le16(p + 2 * i) == 0) {
        f(scalar, p + 2 * start, 2 * (i - start));
        ++n;
        start = i + 1;
      }
    }
    if (start < units) {
      f(scalar, p + 2 * start, 2 * (units - start));
      ++n;
    }
    return n;
  }
  if (scalar == vt::kAnsi) {
    size_t start = 0;
    for (size_t i = 0; i < size; ++i) {
      if (p[i] == 0) {
        f(scalar, p + start, i - start);
        ++n;
        start = i + 1;
      }
    }
    if (start < size) {
      f(scalar, p + start, size - start);
      ++n;
    }
    return n;
  }
  if (scalar == vt::kSid) {
    size_t off = 0;
    while (off + 8 <= size) {
      const size_t len = 8 + 4 * static_cast<size_t>(p[off + 1]);
      const size_t take = off + len <= size ? len : size - off;
      f(scalar, p + off, take);
      ++n;
      off += take;
    }
    return n;
  }
  const size_t es = detail::element_size(scalar, size);
  if (es == 0) {  // not splittable: one element holding the bytes
    f(scalar, p, size);
    return 1;
  }
  for (size_t off = 0; off + es <= size; off += es) {
    f(scalar, p + off, es);
    ++n;
  }
  return n;
}

}  // namespace sqlhunt::winevt
