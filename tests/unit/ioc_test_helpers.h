// Helpers of the IoC scanner's tests (iocs_test.cpp, iocs_data_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/ioc/ioc.h"

namespace sqlhunt::ioc::testing {

// Every match keeps the invariants the SQL functions promise.
inline void check_invariants(std::string_view text, const std::vector<Match>& ms) {
  size_t last_start = 0;
  for (const auto& m : ms) {
    ASSERT_LT(m.start, m.end);
    ASSERT_LE(m.end, text.size());
    ASSERT_GE(m.start, last_start);
    last_start = m.start;
    ASSERT_FALSE(m.value.empty());
  }
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace sqlhunt::ioc::testing
