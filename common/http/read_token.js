// The pages' read token (docs/OPERATIONS.md, "Exposing the pages on the LAN"), spliced into the
// store page and the ops page at build time where they say /* @read_token.js@ */: apiFetch, each
// page's one wrapper of fetch, sends the token kept in localStorage and, on a 401, asks for it (one
// prompt for all the requests waiting) and tries again; a refused token is asked again. A link
// ending in #read-token=… stores it too (a kiosk tablet set up once), then leaves the address bar.
// Uses the page's FETCH_TIMEOUT_MS.
  const TOKEN_KEY = 'storepulse-read-token';
  let memoryToken = '';  // when the browser keeps no localStorage (private mode)
  function readToken() {
    try { return localStorage.getItem(TOKEN_KEY) || memoryToken; } catch (e) { return memoryToken; }
  }
  function keepToken(token) {
    memoryToken = token;
    try { localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* kept for this visit only */ }
  }
  const linkHash = new URLSearchParams(location.hash.slice(1));
  const linkToken = linkHash.get('read-token');
  if (linkToken) {  // kept, then taken out of the address; the rest (#store=…) stays
    keepToken(linkToken);
    linkHash.delete('read-token');
    const rest = linkHash.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  }

  let tokenPrompt = null;
  function askToken(refused) {
    if (tokenPrompt) return tokenPrompt;
    tokenPrompt = new Promise((resolve) => {
      const d = document.createElement('dialog');
      d.id = 'token-prompt';
      d.style.cssText = 'max-width:26rem;border:1px solid var(--line);border-radius:12px;padding:20px;' +
                        'background:var(--card);color:var(--text);font:inherit';
      d.innerHTML = '<form method="dialog"><h2 style="margin:0 0 8px">Read token</h2><p id="token-why" style="margin:0 0 12px"></p>' +
          '<input id="token-input" type="password" required autocomplete="off" aria-labelledby="token-why" ' +
          'style="box-sizing:border-box;width:100%;font:inherit;padding:8px;margin-bottom:12px"><button style="font:inherit;padding:8px 20px">Show the figures</button></form>';
      d.querySelector('#token-why').textContent = refused
          ? 'That token was refused. Enter the read token of this server.'
          : 'This server asks for its read token before it shows any figure. Enter it once: this browser keeps it.';
      d.addEventListener('cancel', (e) => e.preventDefault());  // no figures without it
      d.addEventListener('close', () => {
        keepToken(d.querySelector('#token-input').value.trim());
        d.remove();
        tokenPrompt = null;
        resolve();
      });
      document.body.appendChild(d);
      d.showModal();
    });
    return tokenPrompt;
  }
  // fetch(path, init) with the read token and a time limit; a 401 asks for the token, then again.
  async function apiFetch(path, init) {
    for (;;) {
      const token = readToken();
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);  // also bounds reading the body
      const headers = Object.assign({}, init && init.headers, token ? {Authorization: 'Bearer ' + token} : {});
      const res = await fetch(path, Object.assign({cache: 'no-store'}, init, {signal: ctl.signal, headers}));
      if (res.status !== 401) return res;
      clearTimeout(timer);
      await askToken(token !== '');
    }
  }
