// vtabs/ti_lookup/ti_engine.h — asks the providers about a batch of observables:
// local files, then the cache, then every remaining remote request at once
// (core/http.h), storing ok / not_found answers in the cache (core/cache.h).
// Shared by ti_lookup and ip_enrichment's `ti` and `ti_severity` columns.
#pragma once

#include <string>
#include <vector>

#include "vtabs/ti_lookup/local_feed.h"
#include "vtabs/ti_lookup/providers.h"
#include "vtabs/ti_lookup/ti.h"

namespace sqlhunt::ti {

struct EngineStats {
  size_t requests = 0;     // sent to the network
  size_t cache_hits = 0;
};

// One Result per (observable, provider asked), observables in order, providers in
// provider_names() order. `providers` empty means all; an unknown name is an
// sqlhunt::Error. A remote provider not asked about an observable gives a `skipped`
// row saying why: not an indicator, a type it does not answer, not a public address,
// no network in this build. One without its key gives `not_configured`. With the
// offline switch (core/offline.h) a remote provider answers from the cache or gives
// `offline`, and nothing is sent.
std::vector<Result> lookup(const std::vector<std::string>& observables,
                           const std::vector<std::string>& providers, EngineStats* stats = nullptr);

// The local indicator files named by the ti.local setting (reloaded when the setting
// or a file's modification time changes); nullptr with `why` when it is not set or
// matches no file (`configured` says which).
std::shared_ptr<const LocalIndicators> local_indicators(std::string* why, bool* configured = nullptr);

}  // namespace sqlhunt::ti
