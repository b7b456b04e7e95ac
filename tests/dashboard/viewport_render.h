// A page rendered by headless chromium in a viewport of a given width, with its layout measured:
// for the dashboards' tests at a wall screen's width and a portrait tablet's. The page is loaded
// in an iframe of that size by a wrapper page that a small HTTP server of the test serves on
// 127.0.0.1 (chromium with web security off lets the wrapper read the framed page across
// ports); once every `ready` selector matches, the wrapper copies the page's DOM (scripts left
// out) and its measurements into its own, which chromium dumps. One call, one chromium, bounded
// in time; the server stops before the call returns. Owned by one test thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace storepulse::test_support {

struct ViewportRender {
  bool ready = false;       // every `ready` selector matched before the wrapper's deadline
  std::string dom;          // the framed page's <body> inner HTML, without its scripts
  int viewport_width = 0;   // the framed page's window.innerWidth
  int scroll_width = 0;     // its document's scrollWidth: > viewport_width means it scrolls sideways
  std::string overflowing;  // the elements sticking out to the right, for failure messages
  std::string clipped;      // the `fits` boxes whose text is wider than they are; empty: none
  std::map<std::string, std::string> display;  // computed `display` of each `probe` selector
  // For each `within` selector, its descendants sticking out of it (or of the window), or whose
  // content is wider than their box (cut, ellipsised or scrolling sideways); "missing" when no
  // element matches. Empty: everything fits.
  std::map<std::string, std::string> overflowing_within;
};

// Renders `url` in a `width` × `height` viewport. `fits`: selectors of boxes whose text must fit
// them (scrollWidth ≤ clientWidth). Nothing (with a test failure) if chromium could not run.
std::optional<ViewportRender> RenderInViewport(const std::string& url, int width, int height,
                                               const std::vector<std::string>& ready,
                                               const std::vector<std::string>& probes = {},
                                               const std::vector<std::string>& fits = {},
                                               const std::vector<std::string>& within = {});

}  // namespace storepulse::test_support
