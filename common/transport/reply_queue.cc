#include "common/transport/reply_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <system_error>

namespace storepulse::common {

ReplyQueue::ReplyQueue() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

ReplyQueue::~ReplyQueue() { close(fd_); }

void ReplyQueue::Post(Frames frames) {
  {
    std::lock_guard lock(mu_);
    replies_.push_back(std::move(frames));
  }
  Wake();
}

void ReplyQueue::Wake() {
  uint64_t one = 1;
  (void)!write(fd_, &one, sizeof one);
}

std::deque<Frames> ReplyQueue::Drain() {
  uint64_t count;
  (void)!read(fd_, &count, sizeof count);
  std::deque<Frames> out;
  std::lock_guard lock(mu_);
  out.swap(replies_);
  return out;
}

void SendFrames(zmq::socket_t& socket, Frames& frames) {
  for (size_t i = 0; i < frames.size(); ++i) {
    auto flags = i + 1 < frames.size() ? zmq::send_flags::sndmore | zmq::send_flags::dontwait
                                       : zmq::send_flags::dontwait;
    if (!socket.send(frames[i], flags)) return;
  }
}

}  // namespace storepulse::common
