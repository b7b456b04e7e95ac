// Hands multipart replies from worker threads (the group-commit writers) back to the one thread
// that owns a ZeroMQ socket, which polls fd() alongside the socket and sends what Drain() returns.
// ZeroMQ sockets are not thread-safe; this is how a reply crosses threads. Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include <zmq.hpp>

namespace storepulse::common {

using Frames = std::vector<zmq::message_t>;

class ReplyQueue {
 public:
  ReplyQueue();  // throws std::system_error when no eventfd can be made
  ~ReplyQueue();
  ReplyQueue(const ReplyQueue&) = delete;
  ReplyQueue& operator=(const ReplyQueue&) = delete;

  int fd() const { return fd_; }  // readable when something was posted or Wake() was called
  void Post(Frames frames);
  void Wake();
  std::deque<Frames> Drain();

 private:
  int fd_;
  std::mutex mu_;
  std::deque<Frames> replies_;  // guarded by mu_
};

// Sends one reply on a ROUTER socket without blocking; a peer that went away loses it (it will
// ask again after reconnecting).
void SendFrames(zmq::socket_t& socket, Frames& frames);

}  // namespace storepulse::common
