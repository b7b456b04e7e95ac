#include "tests/faults/wal_tail.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

namespace storepulse::test_support {

namespace {

constexpr size_t kWalHeaderBytes = 32;
constexpr size_t kFrameHeaderBytes = 24;

uint32_t BigEndian32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

bool LoseLastWalTransaction(const std::string& wal_path, WalDamage damage) {
  std::string bytes;
  {
    std::ifstream in(wal_path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (bytes.size() < kWalHeaderBytes) {
    ADD_FAILURE() << wal_path << " is not a WAL file (" << bytes.size() << " bytes)";
    return false;
  }
  const size_t page_size = BigEndian32(bytes, 8);
  const size_t frame_bytes = kFrameHeaderBytes + page_size;
  // Frames of the current WAL generation carry the header's salts; a commit frame records the
  // database size after the commit (non-zero).
  std::vector<size_t> commit_ends;  // file offset just past each commit frame
  for (size_t at = kWalHeaderBytes; at + frame_bytes <= bytes.size(); at += frame_bytes) {
    if (bytes.compare(at + 8, 8, bytes, 16, 8) != 0) break;
    if (BigEndian32(bytes, at + 4) != 0) commit_ends.push_back(at + frame_bytes);
  }
  if (commit_ends.empty()) {
    ADD_FAILURE() << wal_path << " holds no committed transaction";
    return false;
  }
  const size_t keep = commit_ends.size() >= 2 ? commit_ends[commit_ends.size() - 2]
                                              : kWalHeaderBytes;
  const size_t end = commit_ends.back();
  if (damage == WalDamage::kTorn) {
    // Half of the lost transaction made it, the last frame of that half only partly.
    size_t frames = (end - keep) / frame_bytes;
    std::filesystem::resize_file(wal_path, keep + frames / 2 * frame_bytes + frame_bytes / 3);
  } else {
    std::fstream out(wal_path, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(static_cast<std::streamoff>(keep));
    std::string zeros(bytes.size() - keep, '\0');
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  return true;
}

}  // namespace storepulse::test_support
