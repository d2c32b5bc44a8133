// Shared by the pages: the CSRF token for scripted requests, and formatting.
window.daf = {
  csrf() { return document.querySelector('meta[name="csrf-token"]').content; },
  // a request that changes something: carries the page's CSRF token in its header
  async post(url, body) {
    const r = await fetch(url, { method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': daf.csrf(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) { throw new Error((await r.text()) || r.statusText); }
    return r.headers.get('Content-Type')?.includes('json') ? r.json() : r.text();
  },
  num(x, digits) { return x === null || x === undefined ? '–' : Number(x).toFixed(digits); },
};
