#include "central/zap_authenticator.h"

#include <zmq_addon.hpp>

#include "common/log.h"

namespace storepulse::central {

ZapAuthenticator::ZapAuthenticator(zmq::context_t& context, DirectoryFn directory,
                                   Refusals& refusals, const common::Clock& clock)
    : context_(context), directory_(std::move(directory)), refusals_(refusals), clock_(clock) {}

ZapAuthenticator::~ZapAuthenticator() { Stop(); }

common::Status ZapAuthenticator::Start() {
  try {
    socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::rep);
    socket_->set(zmq::sockopt::linger, 0);
    socket_->bind("inproc://zeromq.zap.01");
  } catch (const zmq::error_t& e) {
    return common::Internal(std::string("cannot start the ZAP handler: ") + e.what());
  }
  thread_ = std::thread([this] { Run(); });
  return common::OkStatus();
}

void ZapAuthenticator::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  socket_.reset();
}

void ZapAuthenticator::Run() {
  while (!stopping_) {
    zmq::pollitem_t items[] = {{socket_->handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 1, std::chrono::milliseconds(200));
      if (items[0].revents & ZMQ_POLLIN) Answer(*socket_);
    } catch (const zmq::error_t& e) {
      common::LogWarning(std::string("ZAP handler: ") + e.what());
    }
  }
}

void ZapAuthenticator::Answer(zmq::socket_t& socket) {
  zmq::multipart_t request(socket);
  // version, request id, domain, address, routing id, mechanism, credentials…
  std::string request_id = request.size() > 1 ? request[1].to_string() : "";
  std::string address = request.size() > 3 ? request[3].to_string() : "";
  std::string mechanism = request.size() > 5 ? request[5].to_string() : "";
  std::string status = "400", text = "unknown key", user;
  if (request.size() >= 7 && mechanism == "CURVE" && request[6].size() == 32) {
    char z85[41];
    zmq_z85_encode(z85, static_cast<const uint8_t*>(request[6].data()), 32);
    auto directory = directory_();
    const StoreEntry* entry = directory ? directory->FindByKey(z85) : nullptr;
    if (entry != nullptr) {
      status = "200";
      text = "OK";
      user = entry->store;
    } else {
      refusals_.Record({"unknown_key", z85, "", address,
                        "CURVE public key not in the stores file: add the edge's .pub to it "
                        "and send SIGHUP to central",
                        0, 0},
                       clock_.NowMs());
    }
  } else {
    refusals_.Record({"malformed", "", "", address, "not a CURVE handshake: " + mechanism, 0, 0},
                     clock_.NowMs());
  }
  zmq::multipart_t reply;
  reply.addstr("1.0");
  reply.addstr(request_id);
  reply.addstr(status);
  reply.addstr(text);
  reply.addstr(user);
  reply.addstr("");
  reply.send(socket);
}

}  // namespace storepulse::central
