#include "central/dashboard_page.h"

namespace storepulse::central {

const std::string_view kDashboardPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>storepulse — network</title></head>
<body><h1>storepulse network</h1><pre id="fleet">loading…</pre>
<script>
fetch('/api/v1/fleet').then(r => r.json()).then(j => {
  document.getElementById('fleet').textContent = JSON.stringify(j, null, 2);
});
</script></body></html>
)html";

}  // namespace storepulse::central
