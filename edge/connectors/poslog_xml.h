// Reading POSLog XML by local names. Tills write POSLog with the ARTS namespace as the default,
// under a prefix ("pos:Sale"), or with none at all, so elements and attributes are matched on the
// part of their name after any prefix. Text is trimmed of surrounding whitespace. Only the POSLog
// files (poslog_*.cc) see pugixml. Stateless; thread-safe on distinct documents.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace storepulse::edge::poslog {

// "pos:Sale" → "Sale"; "Sale" → "Sale".
std::string_view LocalName(const char* name);

// The first child element named `local`; an empty node (false in a test) when there is none.
pugi::xml_node Child(pugi::xml_node node, std::string_view local);
// Every child element named `local`, in document order.
std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local);

// The element's text — all of its character data and CDATA, in order — trimmed; "" for none.
std::string Text(pugi::xml_node node);
// The text of the first child element named `local`, trimmed; "" when there is none.
std::string ChildText(pugi::xml_node node, std::string_view local);
// The value of the attribute named `local`, trimmed; "" when there is none.
std::string Attribute(pugi::xml_node node, std::string_view local);

// True when the attribute or the child element named `local` says "true" or "1" (POSLog versions
// carry flags such as VoidFlag one way or the other).
bool Flag(pugi::xml_node node, std::string_view local);

}  // namespace storepulse::edge::poslog
