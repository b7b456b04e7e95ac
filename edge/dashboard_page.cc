#include "edge/dashboard_page.h"

namespace storepulse::edge {

const std::string_view kDashboardPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>storepulse — store</title></head>
<body><h1>storepulse</h1><pre id="kpi">loading…</pre>
<script>
fetch('/api/v1/kpi').then(r => r.json()).then(j => {
  document.getElementById('kpi').textContent = JSON.stringify(j, null, 2);
});
</script></body></html>
)html";

}  // namespace storepulse::edge
