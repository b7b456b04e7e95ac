#include "common/config/man_page.h"

#include <cctype>
#include <cstdio>
#include <sstream>

namespace storepulse::common {
namespace {

// The code point of the UTF-8 sequence at text[*i], advancing *i past it; U+FFFD if malformed.
uint32_t NextCodePoint(std::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(*i);
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  uint32_t code = length == 1 ? 0xFFFD : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    if (*i + k >= text.size() || (byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    code = (code << 6) | (byte(*i + k) & 0x3F);
  }
  *i += length;
  return code;
}

// One source line: escaped, and protected from being read as a request when it starts with
// a dot or a quote.
std::string SourceLine(std::string_view text) {
  std::string line = TroffEscape(text);
  if (!line.empty() && (line[0] == '.' || line[0] == '\'')) line.insert(0, "\\&");
  return line;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Plain text as paragraphs: filled, or kept as they are when a line is indented.
void WriteText(std::string_view text, std::ostream& out) {
  std::vector<std::string> paragraph;
  const auto flush = [&] {
    if (paragraph.empty()) return;
    bool indented = false;
    for (const std::string& line : paragraph) indented = indented || line.rfind(" ", 0) == 0;
    out << ".PP\n" << (indented ? ".nf\n" : "");
    for (const std::string& line : paragraph) out << SourceLine(line) << "\n";
    out << (indented ? ".fi\n" : "");
    paragraph.clear();
  };
  for (const std::string& line : Lines(text)) {
    if (line.find_first_not_of(' ') == std::string::npos) {
      flush();
    } else {
      paragraph.push_back(line);
    }
  }
  flush();
}

void WriteOptions(const boost::program_options::options_description& options, std::ostream& out) {
  for (const auto& option : options.options()) {
    const std::string parameter = option->format_parameter();
    std::string name = option->format_name();  // "--store", or "-h [ --help ]"
    out << ".TP\n";
    if (name.size() > 6 && name[1] != '-' && name.compare(2, 3, " [ ") == 0) {
      out << "\\fB" << TroffEscape(name.substr(0, 2)) << "\\fR, ";
      name = name.substr(5, name.size() - 7);
    }
    out << "\\fB" << TroffEscape(name) << "\\fR";
    if (!parameter.empty()) out << " \\fI" << TroffEscape(parameter) << "\\fR";
    out << "\n" << SourceLine(option->description()) << "\n";
  }
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace

std::string TroffEscape(std::string_view text) {
  std::string escaped;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\\') {
        escaped += "\\e";
      } else if (c == '-') {
        escaped += "\\-";
      } else {
        escaped += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    char glyph[16];
    std::snprintf(glyph, sizeof glyph, "\\[u%04X]", NextCodePoint(text, &i));
    escaped += glyph;
  }
  return escaped;
}

void WriteManOptionGroup(const ManOptionGroup& group, std::ostream& out) {
  out << ".SS \"" << TroffEscape(group.title) << "\"\n";
  WriteText(group.preamble, out);
  if (group.options != nullptr) WriteOptions(*group.options, out);
  WriteText(group.details, out);
}

void WriteManPage(const ManPage& page, std::ostream& out) {
  out << ".\\\" " << page.name << "(" << page.section
      << "), written by `" << page.name << " --man` from its option tables. Do not edit.\n"
      << ".TH \"" << Upper(page.name) << "\" " << page.section << " \"\" \"storepulse "
      << STOREPULSE_VERSION << "\" \"storepulse\"\n"
      << ".SH NAME\n" << SourceLine(page.name) << " \\- " << TroffEscape(page.summary) << "\n"
      << ".SH SYNOPSIS\n";
  for (const std::string& usage : page.synopsis) {
    out << ".PP\n\\fB" << TroffEscape(page.name) << "\\fR " << TroffEscape(usage) << "\n";
  }
  out << ".SH DESCRIPTION\n";
  WriteText(page.description, out);
  out << ".SH OPTIONS\n";
  for (const ManOptionGroup& group : page.options) WriteManOptionGroup(group, out);
  out << page.more_options;
  if (!page.files.empty()) {
    out << ".SH FILES\n";
    for (const auto& [path, what] : page.files) {
      out << ".TP\n\\fI" << TroffEscape(path) << "\\fR\n" << SourceLine(what) << "\n";
    }
  }
  if (!page.see_also.empty()) {
    out << ".SH \"SEE ALSO\"\n";
    std::vector<std::string> pages, documents;
    for (const std::string& ref : page.see_also) {
      const bool is_page = ref.find('(') != std::string::npos && ref.find(' ') == std::string::npos;
      (is_page ? pages : documents).push_back(ref);
    }
    for (size_t i = 0; i < pages.size(); ++i) {
      const size_t paren = pages[i].find('(');
      out << ".BR " << TroffEscape(pages[i].substr(0, paren)) << " " << pages[i].substr(paren)
          << (i + 1 < pages.size() ? "," : "") << "\n";
    }
    for (const std::string& document : documents) out << ".PP\n" << SourceLine(document) << "\n";
  }
}

}  // namespace storepulse::common
