// core/reply_body.h — a reply's bytes as they arrive over the network, kept in pieces
// that are never moved (core/http's receive buffer; pure, unit-tested).
//
//   ReplyBody b; b.append(data, n); ...; std::string whole = b.take();
//
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace sqlhunt::http {

// A reply's bytes as they arrive, in pieces that are never moved: a growing std::string
// copies itself at each doubling, and those copies (and the heap they leave behind)
// once took the peak memory of a hostile batch to several times the bytes in flight.
// Pieces grow from 16 KB to 1 MB; the whole is joined once, for a reply that succeeded.
class ReplyBody {
 public:
  size_t size() const { return size_; }
  void append(const char* data, size_t n) {
    while (n > 0) {
      if (pieces_.empty() || pieces_.back().size() == pieces_.back().capacity()) {
        const size_t next = pieces_.empty() ? kFirst : std::min(kLargest, 2 * pieces_.back().capacity());
        pieces_.emplace_back();
        pieces_.back().reserve(next);
      }
      std::string& last = pieces_.back();
      const size_t take = std::min(n, last.capacity() - last.size());
      last.append(data, take);
      data += take, n -= take, size_ += take;
    }
  }
  // The whole reply; each piece is freed as soon as it is copied, so a large answer
  // (a KQL table) costs its size plus one piece, not twice its size.
  std::string take() {
    std::string out;
    out.reserve(size_);
    for (std::string& p : pieces_) {
      out += p;
      std::string().swap(p);
    }
    clear();
    return out;
  }
  void clear() {
    std::vector<std::string>().swap(pieces_);
    size_ = 0;
  }

 private:
  static constexpr size_t kFirst = 16 << 10, kLargest = 1 << 20;
  std::vector<std::string> pieces_;
  size_t size_ = 0;
};

}  // namespace sqlhunt::http
