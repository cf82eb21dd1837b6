// Fuzzes what sqlhunt reads from the outside for threat intel: each provider's reply
// (any status, any body), local indicator files (CSV and JSON lines), and IoC typing.
// First byte picks the target.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/http.h"
#include "vtabs/ti_lookup/local_feed.h"
#include "vtabs/ti_lookup/providers.h"
#include "vtabs/ti_lookup/ti.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t pick = data[0], status_byte = data[1];
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  using namespace sqlhunt;
  switch (pick % 4) {
    case 0: {
      const auto& providers = ti::remote_providers();
      const auto& p = providers[(pick / 4) % providers.size()];
      static const long kStatus[] = {200, 404, 401, 429, 500, 302, 0};
      ti::HttpReply reply;
      reply.status = kStatus[status_byte % 7];
      reply.body = text;
      ti::Result r;
      ti::interpret(p, reply, r);
      ti::Result back;
      ti::from_cache_json(ti::to_cache_json(r), back);
      break;
    }
    case 1:
    case 2: {
      ti::LocalIndicators db;
      try {
        db.add_text(text, "fuzz", pick % 4 == 2);
      } catch (const Error&) {
      }
      if (db.size()) {
        auto r = ti::local_result(&db, text.substr(0, status_byte % (text.size() + 1)), "");
        (void)r;
      }
      break;
    }
    default:
      (void)ti::ioc_type(text);
      (void)ti::normalise_indicator(text);
      (void)ti::classify(text);
      (void)http::base64url(text);
      (void)http::url_encode(text);
  }
  return 0;
}
