// core/reply_body.h: what arrives in any chunking is what take() gives back, once.
#include "core/reply_body.h"

#include <gtest/gtest.h>

#include <string>

namespace sqlhunt {
namespace {

TEST(ReplyBody, AnyChunkingJoinsToTheSameBytes) {
  std::string sent;
  for (size_t i = 0; sent.size() < (3u << 20) + 123; ++i) sent += static_cast<char>('a' + i % 26) + std::to_string(i);
  for (size_t chunk : {1u, 7u, 16384u, 16385u, 100000u, 1u << 20, 5u << 20}) {
    http::ReplyBody b;
    for (size_t at = 0; at < sent.size(); at += chunk) b.append(sent.data() + at, std::min(chunk, sent.size() - at));
    EXPECT_EQ(b.size(), sent.size()) << chunk;
    EXPECT_EQ(b.take(), sent) << chunk;
    EXPECT_EQ(b.size(), 0u);
    EXPECT_EQ(b.take(), "");
  }
}

TEST(ReplyBody, ClearForgetsWhatArrived) {
  http::ReplyBody b;
  b.append("partial", 7);
  b.clear();
  b.append("next", 4);
  EXPECT_EQ(b.take(), "next");
}

}  // namespace
}  // namespace sqlhunt
