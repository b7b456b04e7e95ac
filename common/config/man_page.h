// Manual pages (troff, the man(7) macros) made from the very option tables that --help prints,
// so that `man storepulse-edge` can never disagree with `storepulse-edge --help`. The programs
// write their page on a hidden --man flag; the build turns that into the pages the packages
// install (packaging/CMakeLists.txt). Stateless; thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/program_options/options_description.hpp>

namespace storepulse::common {

// Free text in a page is plain text as --help prints it: paragraphs apart by a blank line; a
// paragraph with an indented line is kept as it is (examples, tables), the others are filled.
struct ManOptionGroup {
  std::string title;     // a subsection title, e.g. "storepulse-edge options (also keys of --config)"
  std::string preamble;  // text before the options (a usage line); may be empty
  const boost::program_options::options_description* options = nullptr;  // outlives the page
  std::string details;   // text after the options; may be empty
};

struct ManPage {
  std::string name;     // "storepulse-edge"
  int section = 1;      // 1: user commands; 8: daemons
  std::string summary;  // the NAME line after "name \- "
  std::vector<std::string> synopsis;  // one usage a line, without the name
  std::string description;
  std::vector<ManOptionGroup> options;                    // OPTIONS, one subsection a group
  std::string more_options;  // troff appended to OPTIONS (WriteManOptionGroup's, for the CLI)
  std::vector<std::pair<std::string, std::string>> files;  // path, what it is
  // "storepulse(1)" for a page; anything else (a document's path) is a line of its own.
  std::vector<std::string> see_also;
};

void WriteManPage(const ManPage& page, std::ostream& out);

// One subsection of OPTIONS alone: each CLI subcommand writes its own (storepulse CMD --man).
void WriteManOptionGroup(const ManOptionGroup& group, std::ostream& out);

// `text` for troff: backslashes and minus signs escaped, every non-ASCII character as \[uXXXX]
// (groff's glyph names), so that a page reads the same whatever the locale.
std::string TroffEscape(std::string_view text);

}  // namespace storepulse::common
