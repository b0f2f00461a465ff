// The demo page: plain browser JavaScript, no build step and nothing from a CDN, so it works offline and from the
// published folder. It only calls the public API, as any client would.
'use strict';

const shotColour = { many: '#2b8a3e', median: '#e8a317', few: '#c92a2a' };
const models = {};

// A ProblemDetails answer (or a network failure) as the text the page shows: title and detail.
async function problemText(response) {
  try {
    const problem = await response.json();
    return `${problem.title ?? response.statusText} (${response.status}): ${problem.detail ?? ''}`.trim();
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function showError(id, text) {
  const box = document.getElementById(id);
  box.textContent = text;
  box.hidden = !text;
}

async function post(path, file) {
  const form = new FormData();
  form.append('image', file, file.name);
  return fetch(path, { method: 'POST', body: form });
}

async function loadModels() {
  const line = document.getElementById('models');
  try {
    const response = await fetch('v1/models');
    if (!response.ok) { line.textContent = await problemText(response); return; }
    const list = await response.json();
    for (const model of list) {
      if (model.loaded) { models[model.loaded.task] = model; }
    }
    line.textContent = list.map(m => m.loaded
      ? `${m.name} v${m.version}: ${m.loaded.training.architecture}, ConR ${m.loaded.training.conR?.enabled ? 'on' : 'off'}, ${m.loaded.executionProvider}`
      : `${m.name}: ${m.state}`).join(' · ');
  } catch (e) {
    line.textContent = `Could not read /v1/models: ${e}`;
  }
}

// Age -------------------------------------------------------------------------------------------------------------

async function estimateAge(file) {
  showError('age-error', '');
  document.getElementById('age-result').hidden = true;
  let response;
  try { response = await post('v1/age', file); } catch (e) { showError('age-error', `Request failed: ${e}`); return; }
  if (!response.ok) { showError('age-error', await problemText(response)); return; }
  const answer = await response.json();
  document.getElementById('age-photo').src = URL.createObjectURL(file);
  document.getElementById('age-value').textContent = answer.age.toFixed(1);
  const i = answer.interval;
  const interval = document.getElementById('age-interval');
  interval.textContent =
    `${Math.round(i.level * 100)}% interval (${i.mix} mix): ${i.lower.toFixed(1)} to ${i.upper.toFixed(1)} years`;
  // Why the mix is not the one asked for (a package from before card schema 2), on hover.
  interval.title = i.mixNote ?? '';
  const r = answer.range;
  const mae = r.valMae == null ? 'no validation faces there' : `validation MAE ${r.valMae.toFixed(1)} years`;
  const range = document.getElementById('age-range');
  range.innerHTML = '';
  const shot = document.createElement('span');
  shot.className = r.shot;
  shot.textContent = `${r.shot}-shot`;
  range.append(`Predicted range ${r.from}-${r.to}: `, shot, `, ${r.trainCount} training faces at this age, ${mae}.`);
  document.getElementById('age-result').hidden = false;
  drawAgeHistogram(answer);
}

function drawAgeHistogram(answer) {
  const canvas = document.getElementById('age-histogram');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const h = models.age?.loaded?.trainHistogram;
  if (!h || !h.counts) { return; }
  const pad = { left: 40, right: 10, top: 10, bottom: 25 };
  const w = canvas.width - pad.left - pad.right;
  const ht = canvas.height - pad.top - pad.bottom;
  const max = Math.max(1, ...h.counts);
  const x = label => pad.left + ((label - h.start) / (h.binWidth * h.bins)) * w;
  // The interval first, so bars stay readable through it.
  g.fillStyle = 'rgba(28, 126, 214, 0.18)';
  g.fillRect(x(answer.interval.lower), pad.top, Math.max(1, x(answer.interval.upper) - x(answer.interval.lower)), ht);
  h.counts.forEach((count, bin) => {
    const barHeight = (count / max) * ht;
    g.fillStyle = shotColour[h.shots[bin]] ?? '#888';
    g.fillRect(x(h.start + bin * h.binWidth), pad.top + ht - barHeight, Math.max(1, w / h.bins - 1), barHeight);
  });
  g.strokeStyle = '#1c7ed6';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x(answer.age), pad.top);
  g.lineTo(x(answer.age), pad.top + ht);
  g.stroke();
  g.fillStyle = '#444';
  g.font = '12px system-ui';
  for (let label = h.start; label <= h.start + h.bins * h.binWidth; label += 10) {
    g.fillText(String(label), x(label) - 6, canvas.height - 8);
  }
  g.fillText(String(max), 2, pad.top + 10);
}

// Depth -----------------------------------------------------------------------------------------------------------

// A perceptually ordered ramp (dark blue - green - yellow), as in viridis.
function ramp(t) {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const s = Math.min(stops.length - 1.000001, Math.max(0, t) * (stops.length - 1));
  const k = Math.floor(s); const f = s - k;
  return stops[k].map((c, j) => Math.round(c + (stops[k + 1][j] - c) * f));
}

function floats(base64) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function drawMap(canvas, values, width, height, min, max) {
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  const image = g.createImageData(width, height);
  const span = max > min ? max - min : 1;
  values.forEach((v, i) => {
    const [r, gr, b] = ramp((v - min) / span);
    image.data.set([r, gr, b, 255], i * 4);
  });
  g.putImageData(image, 0, 0);
}

async function estimateDepth(file) {
  showError('depth-error', '');
  document.getElementById('depth-result').hidden = true;
  let response;
  try { response = await post('v1/depth', file); } catch (e) { showError('depth-error', `Request failed: ${e}`); return; }
  if (!response.ok) { showError('depth-error', await problemText(response)); return; }
  const answer = await response.json();
  document.getElementById('depth-photo').src = URL.createObjectURL(file);
  drawMap(document.getElementById('depth-map'), floats(answer.depth), answer.width, answer.height, answer.min, answer.max);
  document.getElementById('depth-map-caption').textContent =
    `Depth ${answer.min.toFixed(2)} m (dark) to ${answer.max.toFixed(2)} m (bright)`;
  const widths = floats(answer.uncertainty);
  const low = Math.min(...widths); const high = Math.max(...widths);
  drawMap(document.getElementById('depth-width'), widths, answer.width, answer.height, low, high);
  document.getElementById('depth-width-caption').textContent =
    `${Math.round(answer.level * 100)}% interval half-width (${answer.mix} mix) ${low.toFixed(2)} m (dark) to ${high.toFixed(2)} m (bright)`;
  const body = document.querySelector('#depth-ranges tbody');
  body.innerHTML = '';
  for (const r of answer.ranges) {
    const row = body.insertRow();
    const cells = [`${r.from}-${r.to}`, r.shot, `${(r.pixelFraction * 100).toFixed(1)}%`,
      r.valRmse == null ? '-' : r.valRmse.toFixed(2), r.halfWidth.toFixed(2)];
    cells.forEach(text => { row.insertCell().textContent = text; });
    row.cells[1].className = r.shot;
  }
  document.getElementById('depth-result').hidden = false;
}

// Wiring: a file chosen or dropped on either area is sent at once.
function wire(drop, input, send) {
  const area = document.getElementById(drop);
  const field = document.getElementById(input);
  field.addEventListener('change', () => { if (field.files.length) { send(field.files[0]); } });
  area.addEventListener('dragover', e => { e.preventDefault(); area.classList.add('over'); });
  area.addEventListener('dragleave', () => area.classList.remove('over'));
  area.addEventListener('drop', e => {
    e.preventDefault();
    area.classList.remove('over');
    if (e.dataTransfer.files.length) { send(e.dataTransfer.files[0]); }
  });
}

wire('age-drop', 'age-file', estimateAge);
wire('depth-drop', 'depth-file', estimateDepth);
loadModels();
