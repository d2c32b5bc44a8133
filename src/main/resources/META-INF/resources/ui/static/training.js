// The Training page: follows the current run every 2 s and reloads once it ends, so the list shows its evaluation;
// a finished run is drawn once.
(() => {
  const section = document.getElementById('training-current');
  if (!section || !section.dataset.run) { return; }
  const wasActive = section.dataset.active === 'true';
  const el = (id) => document.getElementById(id);
  const eta = (s) => {
    if (s === null || s === undefined) { return '–'; }
    const t = Math.round(s), h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60), sec = t % 60;
    return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
  };
  const chart = (history) => {
    const line = document.querySelector('#training-chart polyline');
    const totals = (history || []).map((l) => l.total).filter(Number.isFinite);
    if (!line || totals.length < 2) { return; }
    const lo = Math.min(...totals), hi = Math.max(...totals), span = hi - lo || 1;
    line.setAttribute('points', totals.map((v, i) =>
      `${(400 * i / (totals.length - 1)).toFixed(1)},${(95 - 90 * (v - lo) / span).toFixed(1)}`).join(' '));
  };
  const show = (run) => {
    const percent = Math.round(100 * run.fraction);
    el('training-state').textContent = run.state;
    el('training-progress').setAttribute('aria-valuenow', percent);
    el('training-progress').firstElementChild.style.width = `${percent}%`;
    el('training-percent').textContent = `${percent} %`;
    el('training-eta').textContent = eta(run.etaSeconds);
    el('training-message').textContent = run.message;
    const l = run.losses;
    el('training-losses').textContent = l ? `total ${l.total.toFixed(4)} (segmentation ${l.segmentation.toFixed(4)}, `
      + `boost ${l.boost.toFixed(4)})` : '–';
    chart(run.history);
    // the run's row in the list below follows too, instead of showing the state the page was loaded with
    const row = el(`training-run-${run.id}`);
    if (row) {
      row.dataset.state = run.state;
      row.cells[4].firstChild.textContent = run.state;
      row.cells[4].querySelector('.muted').textContent = run.message;
    }
  };
  const poll = async () => {
    try {
      const r = await fetch('/ui/training/current', { credentials: 'same-origin' });
      if (r.status === 200) {
        const run = await r.json();
        const active = ['QUEUED', 'RUNNING'].includes(run.state);
        if (run.id !== section.dataset.run || (wasActive && !active)) {
          window.location.reload();
          return;
        }
        show(run);
        if (!active) { return; }
      }
    } catch (e) {
      el('training-message').textContent = `no answer from the appliance: ${e.message}`;
    }
    setTimeout(poll, 2000);
  };
  poll();
})();
