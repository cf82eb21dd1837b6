// Fuzzes ip_enrichment's readers of outside data: ASN CSV ranges, the RDAP bootstrap
// file and RDAP network objects. First byte picks the target.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/ip.h"
#include "vtabs/ip_enrichment/geoip.h"
#include "vtabs/ip_enrichment/rdap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace sqlhunt;
  static const ip::Address probes[] = {*ip::parse("8.8.8.8"), *ip::parse("1.0.0.1"), *ip::parse("2001:4860::1"),
                                       *ip::parse("255.255.255.255"), *ip::parse("::")};
  try {
    switch (data[0] % 3) {
      case 0: {
        auto db = geoip::AsnDb::parse(text, "fuzz");
        for (const auto& a : probes) (void)db->lookup(a);
        break;
      }
      case 1: {
        auto b = rdap::Bootstrap::parse(text, "fuzz");
        for (const auto& a : probes) (void)b.base_url(a);
        break;
      }
      default: {
        std::string err;
        (void)rdap::parse_network(text, &err);
      }
    }
  } catch (const Error&) {
  }
  return 0;
}
