#include "edge/connectors/poslog_connector.h"

#include <pugixml.hpp>
#include <string>

#include "edge/connectors/poslog_transaction.h"
#include "edge/connectors/poslog_xml.h"

namespace storepulse::edge {

common::StatusOr<ConnectorOutput> PoslogConnector::Map(const ConnectorRequest& request) const {
  // pugixml neither fetches external entities nor expands a DTD's: a hostile document cannot make
  // it read files or grow without bound.
  pugi::xml_document document;
  pugi::xml_parse_result parsed =
      document.load_buffer(request.body.data(), request.body.size(), pugi::parse_default);
  if (!parsed) {
    return common::InvalidArgument(
        "not a whole XML document: " + std::string(parsed.description()) + " at byte " +
        std::to_string(parsed.offset));
  }
  pugi::xml_node root = document.document_element();
  if (poslog::LocalName(root.name()) != "POSLog") {
    return common::InvalidArgument("not a POSLog document: the root element is <" +
                                   std::string(root.name()).substr(0, 40) + ">, not <POSLog>");
  }
  // pugixml reads on past the root; a second one (exports concatenated) would be lost unseen.
  for (pugi::xml_node next = root.next_sibling(); next; next = next.next_sibling()) {
    if (next.type() == pugi::node_element) {
      return common::InvalidArgument("not a whole XML document: a second root element <" +
                                     std::string(next.name()).substr(0, 40) + "> at byte " +
                                     std::to_string(next.offset_debug()) +
                                     " (post one POSLog document per request)");
    }
  }

  poslog::PoslogContext context;
  context.store = request.store;
  auto named = request.params.find("retail_store");
  context.retail_store_id = named == request.params.end() ? request.store : named->second;
  context.zone = request.zone;
  context.money_digits = request.money_digits;

  ConnectorOutput out;
  size_t index = 0;
  for (pugi::xml_node transaction : poslog::Children(root, "Transaction")) {
    poslog::PoslogRecord record = poslog::MapTransaction(transaction, index, context);
    if (!record.rejected.empty()) {
      out.rejected.push_back({index, record.source, record.rejected});
    } else if (!record.skipped.empty()) {
      out.skipped.push_back({index, record.source, record.skipped});
    }
    for (nlohmann::json& event : record.events) {
      out.events.push_back({index, record.source, std::move(event)});
    }
    ++index;
  }
  return out;
}

}  // namespace storepulse::edge
