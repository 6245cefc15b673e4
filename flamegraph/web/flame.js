// hotspot's interactive flame graph. It reads the JSON in #fg-data and
// draws one element per frame at least a pixel wide; everything it shows
// from the profile goes through textContent, never through markup.
(function () {
  "use strict";
  var S; // fields per node: name, depth, total, self, cat, kind, merged, file; diff graphs add before, delta (millionths), change
  var KINDS = ["unknown", "python", "native", "kernel", "jit"];
  var ROW = 18;
  var root = document.getElementById("fg");
  var dataEl = document.getElementById("fg-data");
  if (!root || !dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  S = data.stride || 8;
  var canvas = root.querySelector(".fg-canvas");
  var tip = root.querySelector(".fg-tip");
  var details = root.querySelector(".fg-details");
  var search = root.querySelector(".fg-search");
  var matchEl = root.querySelector(".fg-match");
  var threadSel = root.querySelector(".fg-thread");
  var flipBtn = root.querySelector(".fg-flip");
  // Icicle (roots at the top) first: deep stacks would push a flame
  // graph's roots below the fold.
  var state = { tree: 0, zoom: -1, icicle: true, match: null, matchLabel: "" };
  var trees = data.trees.map(prepare);

  // prepare computes each node's start (a fraction of the total), its
  // parent and the end of its subtree (pre-order makes subtrees contiguous).
  function prepare(t) {
    var n = t.n, N = n.length / S, x = new Float64Array(N), parent = new Int32Array(N), end = new Int32Array(N);
    var next = [0], last = [], depth = 0, T = t.total || 1;
    for (var i = 0; i < N; i++) {
      var d = n[i * S + 1];
      x[i] = next[d] || 0;
      next[d] = x[i] + n[i * S + 2] / T;
      next[d + 1] = x[i];
      parent[i] = d > 0 ? last[d - 1] : -1;
      last[d] = i;
      if (d + 1 > depth) depth = d + 1;
    }
    var open = [];
    for (i = 0; i < N; i++) {
      d = n[i * S + 1];
      while (open.length && n[open[open.length - 1] * S + 1] >= d) end[open.pop()] = i;
      open.push(i);
    }
    while (open.length) end[open.pop()] = N;
    var maxDelta = 0;
    if (data.diff) for (i = 0; i < N; i++) maxDelta = Math.max(maxDelta, Math.abs(n[i * S + 9]));
    return { t: t, N: N, x: x, parent: parent, end: end, depth: depth, maxDelta: maxDelta || 1 };
  }

  function hash(s) {
    var h = 2166136261;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return (h % 1000) / 1000;
  }
  function color(name, cat) {
    var v = hash(name);
    if (data.palette === "category") {
      var c = data.colors[cat] || [210, 210, 210], d = Math.round(v * 30) - 15;
      return "rgb(" + clamp(c[0] + d) + "," + clamp(c[1] + d) + "," + clamp(c[2] + d) + ")";
    }
    var w = hash(name.split("").reverse().join(""));
    return "rgb(" + (205 + Math.floor(50 * w)) + "," + Math.floor(230 * v) + "," + Math.floor(55 * w) + ")";
  }
  // diffColor: red for a share that grew beyond noise, blue for one that
  // shrank, deeper for larger changes; pale for changes within noise.
  function diffColor(p, i) {
    var n = p.t.n, ch = n[i * S + 10], k = Math.min(1, Math.abs(n[i * S + 9]) / p.maxDelta);
    var c = Math.round(210 - 150 * Math.sqrt(k));
    if (ch > 0) return "rgb(255," + c + "," + c + ")";
    if (ch < 0) return "rgb(" + c + "," + c + ",255)";
    return "rgb(236,236,226)";
  }
  function clamp(x) { return Math.max(0, Math.min(255, x)); }

  // value formats a number in the graph's unit as hotspot's text does.
  function digits3(f) { return f < 9.995 ? f.toFixed(2) : f < 99.95 ? f.toFixed(1) : f.toFixed(0); }
  function value(v) {
    var u = (data.unit || "").toLowerCase(), ns = { nanoseconds: 1, ns: 1, microseconds: 1e3, us: 1e3, milliseconds: 1e6, ms: 1e6, seconds: 1e9, s: 1e9 }[u];
    if (ns) {
      var t = v * ns;
      return t < 1e3 ? Math.round(t) + " ns" : t < 1e6 ? digits3(t / 1e3) + " µs" : t < 1e9 ? digits3(t / 1e6) + " ms" : digits3(t / 1e9) + " s";
    }
    if (u === "bytes" || u === "byte" || u === "b") {
      return v < 1024 ? v + " B" : v < 1048576 ? digits3(v / 1024) + " KiB" : v < 1073741824 ? digits3(v / 1048576) + " MiB" : digits3(v / 1073741824) + " GiB";
    }
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function share(f) { return f > 0 && f < 0.0005 ? "<0.1%" : (f * 100).toFixed(1) + "%"; }

  function render() {
    var p = trees[state.tree], n = p.t.n, T = p.t.total || 1;
    var W = canvas.clientWidth || 1000;
    var z = state.zoom, zx = 0, zw = 1, lo = 0, hi = p.N;
    if (z >= 0) { zx = p.x[z]; zw = n[z * S + 2] / T; lo = z; hi = p.end[z]; }
    // The height follows the deepest frame drawn, so frames too thin to
    // see leave no empty band; flame view stacks up from that depth.
    var shown = 1;
    for (var j = lo; j < hi; j++) {
      if ((n[j * S + 2] / T) / zw * W < 1) { j = p.end[j] - 1; continue; }
      shown = Math.max(shown, n[j * S + 1] + 1);
    }
    canvas.style.height = shown * ROW + "px";
    var frag = document.createDocumentFragment(), count = 0;
    function place(i, left, width, anc) {
      var d = n[i * S + 1], name = data.names[n[i * S]], el = document.createElement("div");
      el.className = "fr" + kindClass(i, n) + (anc ? " anc" : "") + (state.match && state.match[i] ? " hl" : "");
      el.style.left = left.toFixed(1) + "px";
      el.style.width = width.toFixed(1) + "px";
      el.style.top = (state.icicle ? d * ROW : (shown - 1 - d) * ROW) + "px";
      el.style.background = data.diff ? diffColor(p, i) : color(name, data.cats[n[i * S + 4]]);
      el.dataset.i = i;
      if (width > 24) el.textContent = name;
      frag.appendChild(el);
      count++;
    }
    for (var a = z >= 0 ? p.parent[z] : -1; a >= 0; a = p.parent[a]) place(a, 0, W, true);
    for (var i = lo; i < hi; i++) {
      var w = (n[i * S + 2] / T) / zw * W;
      if (w < 1) { i = p.end[i] - 1; continue; } // its children are thinner still
      place(i, ((p.x[i] - zx) / zw) * W, w, false);
    }
    canvas.replaceChildren(frag);
    root.dataset.frames = count;
    root.dataset.zoom = z;
  }
  function kindClass(i, n) {
    if (n[i * S + 6] > 0) return " m";
    var k = KINDS[n[i * S + 5]];
    return k === "python" ? " py" : k === "kernel" ? " k" : "";
  }

  function describe(i) {
    var p = trees[state.tree], n = p.t.n, T = p.t.total || 1, v = n[i * S + 2];
    var s = data.names[n[i * S]];
    if (n[i * S + 7] >= 0) s += "  (" + data.names[n[i * S + 7]] + ")";
    s += "\n" + value(v) + ", " + share(v / T) + " of " + p.t.label;
    if (state.zoom >= 0) s += ", " + share(v / n[state.zoom * S + 2]) + " of the zoomed frame";
    if (n[i * S + 3] > 0) s += "; self " + value(n[i * S + 3]);
    var k = KINDS[n[i * S + 5]], c = data.cats[n[i * S + 4]];
    if (data.diff) {
      var b = n[i * S + 8], bt = p.t.before || 1, d = n[i * S + 9] / 1e6, ch = n[i * S + 10];
      s += "\nbefore " + value(b) + ", " + share(b / bt) + " → after " + share(v / T) + ": " + (d >= 0 ? "+" : "") + (d * 100).toFixed(1) +
        " points, " + (ch > 0 ? "grew" : ch < 0 ? "shrank" : "within noise");
    }
    if (n[i * S + 6] > 0) s += "; " + n[i * S + 6] + " frames too thin to draw, merged";
    else if (k) s += "; " + k;
    if (c) s += "; " + c;
    return s;
  }

  // applyMatch marks the frames test() accepts and sums their share,
  // counting a match inside another match once.
  function applyMatch(test, label) {
    var p = trees[state.tree], n = p.t.n, T = p.t.total || 1;
    if (!test) { state.match = null; matchEl.textContent = ""; root.dataset.matched = ""; render(); return; }
    var m = new Uint8Array(p.N), sum = 0, until = -1;
    for (var i = 0; i < p.N; i++) {
      if (n[i * S + 6] > 0 || !test(data.names[n[i * S]])) continue;
      m[i] = 1;
      if (i >= until) { sum += n[i * S + 2]; until = p.end[i]; }
    }
    state.match = m;
    state.matchLabel = label;
    var f = sum / T;
    matchEl.textContent = label + ": " + share(f) + " (" + value(sum) + ")";
    root.dataset.matched = f.toFixed(6);
    render();
  }
  function runSearch() {
    var q = search.value;
    if (!q) { applyMatch(null); return; }
    var re;
    try { re = new RegExp(q, "i"); } catch (e) { re = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"); }
    applyMatch(function (s) { return re.test(s); }, "Matched");
  }

  canvas.addEventListener("click", function (e) {
    var el = e.target.closest(".fr");
    if (!el) return;
    state.zoom = +el.dataset.i;
    render();
  });
  canvas.addEventListener("mousemove", function (e) {
    var el = e.target.closest(".fr");
    if (!el) { tip.hidden = true; return; }
    tip.textContent = describe(+el.dataset.i);
    tip.hidden = false;
    tip.style.left = Math.min(e.clientX + 12, window.innerWidth - tip.offsetWidth - 8) + "px";
    tip.style.top = (e.clientY + 14) + "px";
    details.textContent = tip.textContent.replace("\n", " — ");
  });
  canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
  root.querySelector(".fg-reset").addEventListener("click", function () { state.zoom = -1; render(); });
  flipBtn.addEventListener("click", function () {
    state.icicle = !state.icicle;
    flipBtn.textContent = state.icicle ? "Flame view" : "Icicle view";
    render();
  });
  search.addEventListener("input", runSearch);
  if (threadSel) {
    data.trees.forEach(function (t, i) {
      var o = document.createElement("option");
      o.value = i;
      o.textContent = t.label + " (" + share(t.total / (data.trees[0].total || 1)) + ")";
      threadSel.appendChild(o);
    });
    threadSel.hidden = data.trees.length < 2;
    threadSel.addEventListener("change", function () { state.tree = +threadSel.value; state.zoom = -1; runSearch(); });
  }
  // Buttons elsewhere on the page (a finding's "show in flame graph")
  // highlight the frames they name, exactly.
  document.querySelectorAll("[data-fg-names]").forEach(function (b) {
    b.addEventListener("click", function () {
      var names = new Set(JSON.parse(b.getAttribute("data-fg-names")));
      search.value = "";
      applyMatch(function (s) { return names.has(s); }, b.getAttribute("data-fg-label") || "Highlighted");
      root.scrollIntoView({ block: "start" });
    });
  });
  window.addEventListener("resize", render);
  render();
})();
