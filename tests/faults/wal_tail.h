// Damage to an SQLite WAL file as a crash leaves it, for fault tests: the last transaction torn
// (a partial write) or never written (a power cut before the page cache reached the disk).
// The file format is SQLite's (https://www.sqlite.org/fileformat.html#the_write_ahead_log).
#pragma once

#include <string>

namespace storepulse::test_support {

enum class WalDamage {
  kTorn,     // the file ends half-way into the last transaction's frames
  kZeroed,   // the last transaction's frames are zeros, the file keeps its size
};

// Undoes the last committed transaction of the WAL at `wal_path` as `damage` says. False (with
// a test failure) when the file has no committed transaction to lose.
bool LoseLastWalTransaction(const std::string& wal_path, WalDamage damage);

}  // namespace storepulse::test_support
