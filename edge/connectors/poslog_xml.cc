#include "edge/connectors/poslog_xml.h"

namespace storepulse::edge::poslog {
namespace {

std::string Trimmed(std::string_view text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

bool IsTrue(std::string_view text) { return text == "true" || text == "1"; }

}  // namespace

std::string_view LocalName(const char* name) {
  std::string_view full(name);
  size_t colon = full.rfind(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == local) return child;
  }
  return {};
}

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == local) {
      out.push_back(child);
    }
  }
  return out;
}

std::string Text(pugi::xml_node node) {
  // All of its character data: pugixml's text() is only the first piece, so "12<![CDATA[34]]>"
  // (or "12<!-- -->34") read 12, and transactions 1234 and 1256 took one id.
  std::string text;
  for (pugi::xml_node child : node.children()) {
    const pugi::xml_node_type type = child.type();
    if (type == pugi::node_pcdata || type == pugi::node_cdata) text += child.value();
  }
  return Trimmed(text);
}

std::string ChildText(pugi::xml_node node, std::string_view local) {
  return Text(Child(node, local));
}

std::string Attribute(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute attribute : node.attributes()) {
    if (LocalName(attribute.name()) == local) return Trimmed(attribute.value());
  }
  return "";
}

bool Flag(pugi::xml_node node, std::string_view local) {
  return IsTrue(Attribute(node, local)) || IsTrue(ChildText(node, local));
}

}  // namespace storepulse::edge::poslog
