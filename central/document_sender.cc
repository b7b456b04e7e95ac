#include "central/document_sender.h"

#include <algorithm>

#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::central {

namespace wire = common::wire;

DocumentSender::DocumentSender(const DocumentBoard& board, DocumentSenderOptions options)
    : board_(board), options_(options) {}

void DocumentSender::OnHeartbeat(const std::string& peer, const std::string& store,
                                 const std::optional<std::map<std::string, std::string>>& documents,
                                 int64_t now_ms) {
  if (!documents) {  // an edge that takes no document
    edges_.erase(store);
    return;
  }
  Edge& edge = edges_[store];
  if (edge.peer != peer) edge = Edge{};  // a new connection: nothing in flight on it
  edge.store = store;
  edge.peer = peer;
  edge.last_seen_ms = now_ms;
  edge.held = *documents;
}

void DocumentSender::OnAck(const std::string& peer, const std::string& store,
                           const wire::DocumentAck& ack, int64_t now_ms) {
  auto found = edges_.find(store);
  if (found == edges_.end() || found->second.peer != peer) return;  // an older connection's
  Edge& edge = found->second;
  edge.last_seen_ms = now_ms;
  if (ack.version.empty()) {
    edge.held.erase(ack.kind);
  } else {
    edge.held[ack.kind] = ack.version;
  }
  auto sending = edge.sending.find(ack.kind);
  const bool was_delta = sending != edge.sending.end() && !sending->second.base_version.empty();
  if (sending != edge.sending.end()) edge.sending.erase(sending);
  if (ack.detail.empty()) {
    edge.snapshot_only.erase(ack.kind);
    edge.wait_until.erase(ack.kind);
    return;
  }
  {
    std::lock_guard lock(counters_mu_);
    counters_.refused++;
  }
  common::LogWarning("store " + store + " refused " + ack.kind + " (" +
                     (was_delta ? "a delta: a snapshot follows" : "a snapshot") +
                     "): " + ack.detail);
  if (was_delta) {
    edge.snapshot_only[ack.kind] = true;
  } else {
    edge.wait_until[ack.kind] = now_ms + options_.ack_timeout_ms;
  }
}

void DocumentSender::OnHello(const std::string& peer, const std::string& store) {
  (void)peer;  // whichever connection: the store's next heartbeat says what it holds
  edges_.erase(store);
}

void DocumentSender::Begin(Edge& edge, const std::string& kind, const PublishedDocument& current) {
  Sending sending;
  sending.version = current.version;
  const auto held = edge.held.find(kind);
  std::shared_ptr<const common::DocumentRows> base;
  if (held != edge.held.end() && !edge.snapshot_only[kind]) {
    base = board_.Find(kind, edge.store, held->second);
  }
  if (base) {  // a delta: only the changed rows
    common::DocumentDelta delta = common::DiffDocuments(*base, *current.rows);
    sending.base_version = held->second;
    sending.rows = std::make_shared<const common::DocumentRows>(std::move(delta.upserts));
    sending.removals = std::make_shared<const std::vector<std::string>>(std::move(delta.removals));
  } else {
    sending.rows = current.rows;
    sending.removals = std::make_shared<const std::vector<std::string>>();
  }
  sending.next_row = sending.rows->begin();
  {
    std::lock_guard lock(counters_mu_);
    (base ? counters_.deltas : counters_.snapshots)[kind]++;
  }
  edge.sending.insert_or_assign(kind, std::move(sending));
}

wire::Document DocumentSender::NextPart(const std::string& kind, Sending& sending, int64_t* bytes) {
  wire::Document part{kind, sending.version, sending.base_version, sending.part, false, {}, {}};
  size_t part_bytes = 0;
  const size_t max_rows = std::min(options_.part_rows, wire::kMaxDocumentPartRows);
  while (sending.next_row != sending.rows->end() && part.rows.size() < max_rows &&
         part_bytes < options_.part_bytes) {
    std::string text = sending.next_row->second.dump();
    part_bytes += sending.next_row->first.size() + text.size();
    part.rows.emplace_back(sending.next_row->first, std::move(text));
    ++sending.next_row;
  }
  while (sending.next_row == sending.rows->end() &&
         sending.next_removal < sending.removals->size() && part.removals.size() < max_rows &&
         part_bytes < options_.part_bytes) {
    const std::string& key = (*sending.removals)[sending.next_removal++];
    part_bytes += key.size();
    part.removals.push_back(key);
  }
  part.last =
      sending.next_row == sending.rows->end() && sending.next_removal == sending.removals->size();
  sending.part++;
  sending.all_sent = part.last;
  *bytes += static_cast<int64_t>(part_bytes);
  std::lock_guard lock(counters_mu_);
  counters_.bytes_sent[kind] += static_cast<int64_t>(part_bytes);
  if (part.last) counters_.documents_sent[kind]++;
  return part;
}

std::vector<std::pair<std::string, wire::Document>> DocumentSender::Step(int64_t now_ms) {
  std::vector<std::pair<std::string, wire::Document>> out;
  for (auto it = edges_.begin(); it != edges_.end();) {
    it = now_ms - it->second.last_seen_ms > options_.forget_after_ms ? edges_.erase(it)
                                                                     : std::next(it);
  }
  busy_ = false;
  if (edges_.empty()) return out;
  int64_t bytes = 0;
  // Documents being sent or waiting for their ack, over every edge: at most max_in_flight, so
  // that what ZeroMQ queues for slow links stays bounded whatever the fleet's size.
  int64_t in_flight = 0;
  for (const auto& [store, edge] : edges_) {
    for (const auto& [kind, sending] : edge.sending) {
      if (!sending.all_sent || now_ms - sending.last_sent_ms < options_.ack_timeout_ms) ++in_flight;
    }
  }
  // Round robin: start after the edge served last, so that a budget spent early is fair.
  auto start = edges_.upper_bound(last_served_);
  if (start == edges_.end()) start = edges_.begin();
  auto it = start;
  do {
    Edge& edge = it->second;
    const std::string& peer = edge.peer;
    for (const std::string& kind : board_.Kinds(edge.store)) {
      std::optional<PublishedDocument> current = board_.Current(kind, edge.store);
      if (!current) continue;
      const auto held = edge.held.find(kind);
      if (held != edge.held.end() && held->second == current->version) {
        edge.sending.erase(kind);
        continue;
      }
      if (const auto wait = edge.wait_until.find(kind);
          wait != edge.wait_until.end() && now_ms < wait->second) {
        continue;
      }
      busy_ = true;
      if (bytes >= options_.step_bytes) continue;
      auto sending = edge.sending.find(kind);
      const bool same =
          sending != edge.sending.end() && sending->second.version == current->version;
      const bool waiting = sending != edge.sending.end() && sending->second.all_sent &&
                           now_ms - sending->second.last_sent_ms < options_.ack_timeout_ms;
      if (same && waiting) continue;                         // its ack is due
      const bool resend = same && sending->second.all_sent;  // no ack in time
      if (!same || resend) {
        // A document begun takes one of the max_in_flight slots, unless it replaces one that
        // holds a slot still (a newer version of a document in flight).
        const bool holds_slot =
            sending != edge.sending.end() && (!sending->second.all_sent || waiting);
        if (!holds_slot) {
          if (in_flight >= options_.max_in_flight) continue;
          ++in_flight;
        }
        if (resend) {
          common::LogWarning("store " + edge.store + ": no ack for " + kind + " version " +
                             current->version + " within " +
                             std::to_string(options_.ack_timeout_ms) + " ms: sending it again");
          std::lock_guard lock(counters_mu_);
          counters_.resends++;
        }
        Begin(edge, kind, *current);
        sending = edge.sending.find(kind);
      }
      for (int i = 0;
           i < options_.parts_per_step && !sending->second.all_sent && bytes < options_.step_bytes;
           ++i) {
        out.emplace_back(peer, NextPart(kind, sending->second, &bytes));
        sending->second.last_sent_ms = now_ms;
      }
      last_served_ = edge.store;
    }
    if (++it == edges_.end()) it = edges_.begin();
  } while (it != start);
  return out;
}

DocumentSenderCounters DocumentSender::counters() const {
  std::lock_guard lock(counters_mu_);
  return counters_;
}

}  // namespace storepulse::central
