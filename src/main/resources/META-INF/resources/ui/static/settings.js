// Settings page: thresholds with a live preview on the reviewed frames, and the ROI editor on the latest frame.
(() => {
  const base = '/ui/settings';
  // the server's refusals are {"error": "..."}; daf.post throws their text
  const reason = e => { try { return JSON.parse(e.message).error || e.message; } catch { return e.message; } };
  async function getJson(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { throw new Error(body.error || r.statusText); }
    return body;
  }

  function describe(p) {
    if (p.reviewed === 0) { return 'No reviewed frames judged by this model yet: nothing to preview.'; }
    const flips = p.okToNok + p.nokToOk;
    return `${flips} of ${p.reviewed} reviewed frames would flip (${p.okToNok} OK→NOK, ${p.nokToOk} NOK→OK). `
      + `False alarms ${p.current.falseAlarms} → ${p.proposed.falseAlarms} of ${p.good} good, `
      + `misses ${p.current.misses} → ${p.proposed.misses} of ${p.defective} defective.`;
  }

  document.querySelectorAll('form.threshold-form').forEach(form => {
    const line = form.dataset.line;
    const input = document.getElementById('threshold-' + line);
    if (!input) { return; }
    const url = `${base}/lines/${encodeURIComponent(line)}`;
    const preview = document.getElementById('threshold-preview-' + line);
    const status = document.getElementById('threshold-status-' + line);
    let timer;
    let asked = 0;
    const update = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++asked;  // answers may overtake each other: only the latest is shown
        const v = input.value.trim();
        if (v === '') { preview.textContent = ''; return; }
        try {
          const p = await getJson(`${url}/threshold-preview?threshold=${encodeURIComponent(v)}`);
          if (mine === asked) { preview.textContent = describe(p); preview.classList.remove('error'); }
        } catch (e) {
          if (mine === asked) { preview.textContent = e.message; preview.classList.add('error'); }
        }
      }, 300);
    };
    input.addEventListener('input', update);
    update();
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const t = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(t)) { status.textContent = 'Give the threshold as a number.'; return; }
      try {
        const m = await daf.post(`${url}/threshold`, { threshold: t });
        document.getElementById('threshold-now-' + line).textContent = m.threshold;
        input.dataset.current = m.threshold;
        status.textContent = `Saved: line ${line} judges with threshold ${m.threshold} from the next frame on.`;
        status.className = 'status notice';
        update();
      } catch (e) {
        status.textContent = reason(e);
        status.className = 'status error';
      }
    });
    document.getElementById('threshold-suggest-' + line).addEventListener('click', async () => {
      try {
        const s = await getJson(`${url}/suggested-threshold`);
        input.value = s.threshold;
        status.textContent = `Suggested from ${s.defective} defective and ${s.good} good reviewed frames: catches `
          + `${Math.round(100 * s.caught)} % of the defective, flags ${Math.round(100 * s.falseAlarmRate)} % of the good. `
          + 'Not saved yet.';
        status.className = 'status notice';
        update();
      } catch (e) {
        status.textContent = e.message;
        status.className = 'status error';
      }
    });
  });

  document.querySelectorAll('section.roi-editor').forEach(section => {
    const cam = section.dataset.camera;
    const canvas = document.getElementById('roi-canvas-' + cam);
    const ctx = canvas.getContext('2d');
    const field = k => document.getElementById(`roi-${k}-${cam}`);
    const status = document.getElementById('roi-status-' + cam);
    const url = `${base}/cameras/${encodeURIComponent(cam)}`;
    const frame = new Image();
    let loaded = false;
    let drag = null;

    const roi = () => ['x', 'y', 'w', 'h'].map(k => Number(field(k).value));
    function draw() {
      if (!loaded) { return; }
      ctx.drawImage(frame, 0, 0);
      const [x, y, w, h] = roi();
      if (!(w > 0 && h > 0)) { return; }
      ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';  // dim what is not inspected
      ctx.fillRect(0, 0, canvas.width, y);
      ctx.fillRect(0, y + h, canvas.width, canvas.height - y - h);
      ctx.fillRect(0, y, x, h);
      ctx.fillRect(x + w, y, canvas.width - x - w, h);
      ctx.strokeStyle = '#ffd600';
      ctx.lineWidth = Math.max(1, canvas.width / 400);
      ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
    }
    function load() {
      frame.onload = () => {
        loaded = true;
        canvas.width = frame.naturalWidth;
        canvas.height = frame.naturalHeight;
        if (field('w').value === '') {  // no ROI yet: the whole frame
          [['x', 0], ['y', 0], ['w', frame.naturalWidth], ['h', frame.naturalHeight]].forEach(([k, v]) => { field(k).value = v; });
        }
        status.textContent = '';
        draw();
      };
      frame.onerror = async () => {
        const r = await fetch(`${url}/frame.png`, { credentials: 'same-origin' }).catch(() => null);
        const body = r ? await r.json().catch(() => ({})) : {};
        status.textContent = body.error || 'The latest frame could not be loaded.';
        status.className = 'status error';
      };
      frame.src = `${url}/frame.png?at=${Date.now()}`;
    }
    // a point of the canvas in frame pixels (the canvas is scaled to fit the page)
    function at(ev) {
      const r = canvas.getBoundingClientRect();
      const px = Math.round((ev.clientX - r.left) * canvas.width / r.width);
      const py = Math.round((ev.clientY - r.top) * canvas.height / r.height);
      return [Math.min(Math.max(px, 0), canvas.width), Math.min(Math.max(py, 0), canvas.height)];
    }
    canvas.addEventListener('pointerdown', ev => {
      if (!loaded) { return; }
      drag = at(ev);
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener('pointermove', ev => {
      if (!drag) { return; }
      const [px, py] = at(ev);
      field('x').value = Math.min(drag[0], px);
      field('y').value = Math.min(drag[1], py);
      field('w').value = Math.max(1, Math.abs(px - drag[0]));
      field('h').value = Math.max(1, Math.abs(py - drag[1]));
      draw();
    });
    canvas.addEventListener('pointerup', () => { drag = null; });
    ['x', 'y', 'w', 'h'].forEach(k => field(k).addEventListener('input', draw));
    document.getElementById('roi-reload-' + cam).addEventListener('click', load);
    const shown = s => {
      const r = s.inForce;
      document.getElementById('roi-now-' + cam).textContent = r ? `${r.x},${r.y},${r.width},${r.height}` : 'whole frame';
      return r;
    };
    document.getElementById('roi-reset-' + cam).addEventListener('click', async () => {
      try {
        const r = shown(await daf.post(`${url}/roi/reset`));
        [['x', r ? r.x : 0], ['y', r ? r.y : 0], ['w', r ? r.width : frame.naturalWidth],
          ['h', r ? r.height : frame.naturalHeight]].forEach(([k, v]) => { field(k).value = v; });
        draw();
        status.textContent = `Camera ${cam} is back on its configured ROI from the next frame on.`;
        status.className = 'status notice';
      } catch (e) {
        status.textContent = reason(e);
        status.className = 'status error';
      }
    });
    section.querySelector('form.roi-form').addEventListener('submit', async ev => {
      ev.preventDefault();
      const [x, y, width, height] = roi();
      try {
        const r = shown(await daf.post(`${url}/roi`, { x, y, width, height }));
        status.textContent = `Saved: camera ${cam} inspects ${r.x},${r.y},${r.width},${r.height} from the next frame on.`
          + ' Its line\'s model was trained on frames cropped the old way: check its verdicts, and retrain.';
        status.className = 'status notice';
      } catch (e) {
        status.textContent = reason(e);
        status.className = 'status error';
      }
    });
    load();
  });
})();
