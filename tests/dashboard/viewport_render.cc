#include "tests/dashboard/viewport_render.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/free_port.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

// The wrapper: frames ?url= at ?w= × ?h=, waits for every ?ready= selector (at most 30 s of the
// page's time), then writes the framed page's measurements into #layout and its DOM into #dom.
constexpr char kWrapper[] = R"html(<!doctype html>
<html><head><meta charset="utf-8"><title>viewport</title></head><body style="margin:0">
<pre id="layout"></pre><div id="dom"></div>
<script>
'use strict';
const p = new URLSearchParams(location.search);
const f = document.createElement('iframe');
f.style.cssText = 'border:0;display:block;width:' + p.get('w') + 'px;height:' + p.get('h') + 'px';
f.src = p.get('url');
document.body.prepend(f);
const deadline = Date.now() + 30000;
function check() {
  let d = null;
  try { d = f.contentDocument; } catch (e) { /* not yet readable */ }
  const ready = d && d.body && p.getAll('ready').every((s) => d.querySelector(s));
  if (!ready && Date.now() < deadline) return setTimeout(check, 100);
  const w = f.contentWindow, vw = w.innerWidth;
  const over = d ? [...d.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > vw + 1)
      .slice(0, 12).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                                (e.className && e.className.baseVal === undefined ? '.' + e.className : '')) : [];
  // Boxes that must show their whole text: any whose content is wider than the box (cut,
  // ellipsised or spilling out) is named, with its text.
  const clipped = [];
  for (const s of p.getAll('fit')) {
    for (const e of (d ? d.querySelectorAll(s) : [])) {
      if (e.scrollWidth > e.clientWidth) clipped.push((e.id || s) + ' "' + e.textContent + '" ' + e.scrollWidth + '>' + e.clientWidth);
    }
  }
  // Each ?within= element: its descendants past its own right edge (or the window's), and those
  // whose content is wider than their box (cut, ellipsised, or scrolling sideways); a visually
  // hidden element (1 px wide, for screen readers) is not one.
  const within = {};
  for (const s of p.getAll('within')) {
    const box = d && d.querySelector(s);
    if (!box) { within[s] = 'missing'; continue; }
    const right = Math.min(vw, box.getBoundingClientRect().right) + 1;
    within[s] = [...box.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > right ||
        (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1))
      .slice(0, 12).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')).join(' ');
  }
  const display = {};
  for (const s of p.getAll('probe')) { const e = d && d.querySelector(s); display[s] = e ? w.getComputedStyle(e).display : ''; }
  document.getElementById('layout').textContent = JSON.stringify({
    ready: !!ready, viewport_width: vw, scroll_width: d ? d.documentElement.scrollWidth : 0,
    overflowing: over.join(' '), clipped: clipped.join('; '), display, within});
  if (d && d.body) {
    const body = d.body.cloneNode(true);
    body.querySelectorAll('script').forEach((s) => s.remove());
    document.getElementById('dom').innerHTML = body.innerHTML;
  }
}
check();
</script></body></html>)html";

std::string UrlEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The text of the wrapper's <pre id="layout"> in chromium's dump: JSON with &, < and > escaped.
std::string LayoutJson(const std::string& dump) {
  const std::string open = "<pre id=\"layout\">";
  size_t begin = dump.find(open);
  if (begin == std::string::npos) return "";
  begin += open.size();
  std::string text = dump.substr(begin, dump.find("</pre>", begin) - begin);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 5, "&amp;") == 0) { out += '&'; i += 4; }
    else if (text.compare(i, 4, "&lt;") == 0) { out += '<'; i += 3; }
    else if (text.compare(i, 4, "&gt;") == 0) { out += '>'; i += 3; }
    else out += text[i];
  }
  return out;
}

}  // namespace

std::optional<ViewportRender> RenderInViewport(const std::string& url, int width, int height,
                                               const std::vector<std::string>& ready,
                                               const std::vector<std::string>& probes,
                                               const std::vector<std::string>& fits,
                                               const std::vector<std::string>& within) {
  httplib::Server server;
  server.Get("/viewport", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kWrapper, "text/html; charset=utf-8");
  });
  const int port = FreeTcpPort();
  if (port < 0 || !server.bind_to_port("127.0.0.1", port)) {
    ADD_FAILURE() << "cannot bind the wrapper's server on 127.0.0.1";
    return std::nullopt;
  }
  std::thread serving([&server] { server.listen_after_bind(); });
  std::string query = "url=" + UrlEncode(url) + "&w=" + std::to_string(width) +
                      "&h=" + std::to_string(height);
  for (const std::string& s : ready) query += "&ready=" + UrlEncode(s);
  for (const std::string& s : probes) query += "&probe=" + UrlEncode(s);
  for (const std::string& s : fits) query += "&fit=" + UrlEncode(s);
  for (const std::string& s : within) query += "&within=" + UrlEncode(s);
  TempDir profile;
  auto run = RunProcess(
      {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
       "--no-first-run", "--disable-background-networking", "--disable-component-update",
       "--disable-sync", "--disable-web-security", "--disable-site-isolation-trials",
       "--disable-features=IsolateOrigins,site-per-process", "--hide-scrollbars",
       "--window-size=" + std::to_string(width + 100) + "," + std::to_string(height + 100),
       "--user-data-dir=" + profile.path(), "--virtual-time-budget=40000", "--dump-dom",
       "http://127.0.0.1:" + std::to_string(port) + "/viewport?" + query},
      std::chrono::seconds(90));
  server.stop();
  serving.join();
  if (!run.ok()) {
    ADD_FAILURE() << "cannot run chromium: " << run.status().message();
    return std::nullopt;
  }
  EXPECT_FALSE(run->timed_out) << "chromium did not finish in 90 s";
  nlohmann::json layout = nlohmann::json::parse(LayoutJson(run->out), nullptr, false);
  if (!layout.is_object()) {
    ADD_FAILURE() << "the wrapper wrote no layout; chromium said: " << run->err.substr(0, 2000);
    return std::nullopt;
  }
  ViewportRender render;
  render.ready = layout.value("ready", false);
  render.viewport_width = layout.value("viewport_width", 0);
  render.scroll_width = layout.value("scroll_width", 0);
  render.overflowing = layout.value("overflowing", "");
  render.clipped = layout.value("clipped", "");
  for (const auto& [selector, display] : layout["display"].items()) {
    render.display[selector] = display.get<std::string>();
  }
  const nlohmann::json within = layout.value("within", nlohmann::json::object());
  for (const auto& [selector, elements] : within.items()) {
    render.overflowing_within[selector] = elements.get<std::string>();
  }
  const std::string open = "<div id=\"dom\">";
  size_t begin = run->out.find(open);
  if (begin != std::string::npos) render.dom = run->out.substr(begin + open.size());
  return render;
}

}  // namespace storepulse::test_support
