// The page of `lexis serve`: every view is a call to the JSON API
// (docs/serve.md) and every table is drawn from its rows. The state (tab,
// corpus, query, sort, page, options) lives in the URL, so a link shows the
// same view and the back button goes back a step.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
};

const TABS = ["kwic", "freq", "collocates", "dispersion", "wordlist", "ngrams", "keywords"];
const NEEDS_QUERY = { kwic: true, freq: true, collocates: true, dispersion: true };
const SORT_KEYS = ["L3", "L2", "L1", "node", "R1", "R2", "R3", "doc"];
let corpora = [];

// ------------------------------------------------------------ state <-> URL
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    tab: TABS.includes(p.get("tab")) ? p.get("tab") : "kwic",
    corpus: p.get("corpus") || "", q: p.get("q") || "", sort: p.get("sort") || "",
    offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
    limit: p.get("limit") || "50", width: p.get("width") || "40", sample: p.get("sample") || "",
    seed: p.get("seed") || "1", case: p.get("case") === "1", regex: p.get("regex") === "1",
    cql: p.get("cql") === "1", show: p.get("show") || "",
    by: p.get("by") || "form", measure: p.get("measure") || "logdice", n: p.get("n") || "2",
    ref: p.get("ref") || "",
  };
}

function writeState(s, replace) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) {
    if (v === "" || v === false || v == null) continue;
    if (k === "offset" && v === 0) continue;
    p.set(k, v === true ? "1" : String(v));
  }
  const url = "?" + p.toString();
  if (url !== location.search) (replace ? history.replaceState : history.pushState).call(history, null, "", url);
  render();
}

function apiParams(s, extra) {
  const p = new URLSearchParams({ corpus: s.corpus });
  if (s.q) p.set("q", s.q);
  if (s.case) p.set("case", "1");
  if (s.regex) p.set("regex", "1");
  if (s.cql) p.set("cql", "1");
  for (const [k, v] of Object.entries(extra || {})) if (v !== "" && v != null) p.set(k, v);
  return p;
}

async function api(path, params) {
  const r = await fetch(path + "?" + params.toString(), { credentials: "same-origin" });
  const body = await r.json().catch(() => ({ error: r.status + " " + r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function status(msg, error) {
  const st = $("status");
  st.textContent = msg;
  st.className = error ? "error" : "";
}

function downloads(path, params) {
  const box = el("span", {}, "Download: ");
  for (const f of ["tsv", "csv", "json"]) {
    const p = new URLSearchParams(params);
    p.set("format", f);
    box.append(el("a", { href: path + "?" + p.toString(), download: "lexis-" + path.slice(5) + "." + f }, f.toUpperCase()), " ");
  }
  return box;
}

// A table of rows with numbers right-aligned, columns from the first row.
function table(rows) {
  if (!rows.length) return el("p", {}, "No rows.");
  const cols = Object.keys(rows[0]);
  const head = el("tr", {}, ...cols.map((c) => el("th", { class: typeof rows[0][c] === "number" ? "num" : "" }, c)));
  const body = rows.map((r) => el("tr", {}, ...cols.map((c) => {
    const v = r[c];
    const num = typeof v === "number";
    return el("td", { class: num ? "num" : "" }, num && !Number.isInteger(v) ? v.toPrecision(6).replace(/\.?0+$/, "") : v ?? "");
  })));
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

// ------------------------------------------------------------ concordance
function sortButtons(s, keys) {
  const active = s.sort.split(",").filter(Boolean);
  return el("div", { class: "sortkeys" }, ...keys.map((k) => {
    const i = active.findIndex((a) => a.replace(/^-/, "") === k);
    const label = i < 0 ? k : k + (active[i].startsWith("-") ? " ↓" : " ↑") + (active.length > 1 ? i + 1 : "");
    return el("button", {
      type: "button", class: "sort" + (i >= 0 ? " on" : ""), "data-key": k,
      title: "Sort by " + k + " (click again to reverse; shift-click adds a key)",
      onclick: (ev) => {
        let next;
        if (ev.shiftKey) next = i < 0 ? [...active, k] : active.map((a, j) => (j === i ? (a.startsWith("-") ? k : "-" + k) : a));
        else next = [i >= 0 && !active[i].startsWith("-") && active.length === 1 ? "-" + k : k];
        writeState({ ...s, sort: next.join(","), offset: 0 });
      },
    }, label);
  }));
}

async function showKwic(s) {
  const limit = parseInt(s.limit, 10) || 50;
  // CQL hits have token context and the attributes asked for; no sample, no sort by document
  const params = s.cql
    ? apiParams(s, { sort: s.sort, offset: s.offset, limit, show: s.show })
    : apiParams(s, { sort: s.sort, offset: s.offset, limit, width: s.width, sample: s.sample, seed: s.sample ? s.seed : "" });
  const data = await api("/api/kwic", params);
  const from = data.total ? s.offset + 1 : 0, to = Math.min(s.offset + limit, data.total);
  status(`${data.total.toLocaleString()} hit${data.total === 1 ? "" : "s"} of “${data.query}” in ${data.corpus}` + (data.total ? `; ${from}–${to} shown` : ""));
  const prev = el("button", { type: "button", id: "prev", onclick: () => writeState({ ...s, offset: Math.max(0, s.offset - limit) }) }, "← Previous");
  const next = el("button", { type: "button", id: "next", onclick: () => writeState({ ...s, offset: s.offset + limit }) }, "Next →");
  prev.disabled = s.offset === 0;
  next.disabled = to >= data.total;
  const sample = el("button", { type: "button", id: "resample", title: "Another random sample of the hits",
    onclick: () => writeState({ ...s, sample: s.sample || "50", seed: String(Math.floor(Math.random() * 1e9)), offset: 0 }) }, "Random sample");
  $("controls").replaceChildren(prev, next, ...(s.cql ? [] : [sample]), downloads("/api/kwic", params));
  const t = el("table", { class: "kwic" },
    el("colgroup", {}, el("col", { class: "doc" }), el("col", {}), el("col", { class: "node" }), el("col", {})),
    el("thead", {}, el("tr", {},
      el("th", { class: "doc" }, s.cql ? "doc" : sortButtons(s, ["doc"])),
      el("th", {}, sortButtons(s, ["L3", "L2", "L1"])),
      el("th", {}, sortButtons(s, ["node"])),
      el("th", {}, sortButtons(s, ["R1", "R2", "R3"])))),
    el("tbody", {}, ...data.hits.map((h) => {
      const row = el("tr", { tabindex: "0", title: s.cql ? "" : "Open the document (Enter)" },
        el("td", { class: "doc" }, h.doc.split("/").pop()),
        el("td", { class: "left" }, el("span", {}, h.left)), el("td", { class: "node" }, h.node), el("td", { class: "right" }, h.right));
      if (s.cql) return row;            // its tokens, not the source's bytes: no document view
      const open = () => openDoc(s.corpus, h);
      row.addEventListener("click", open);
      row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
      return row;
    })));
  $("result").replaceChildren(t);
}

async function openDoc(corpus, hit) {
  const docs = await docNumbers(corpus);
  const p = new URLSearchParams({ corpus, doc: docs[hit.doc] || 1, start: hit.start, end: hit.end, around: 3000 });
  try {
    const d = await api("/api/doc", p);
    const meta = Object.entries(d.meta || {}).map(([k, v]) => k + ": " + v).join(", ");
    $("docname").textContent = d.name + (meta ? " — " + meta : "") + " (bytes " + d.start + "–" + d.end + ")";
    const mark = el("mark", {}, d.hit);
    $("doctext").replaceChildren((d.from_start ? "" : "…") + d.before, mark, d.after + (d.to_end ? "" : "…"));
    $("docview").hidden = false;
    mark.scrollIntoView({ block: "center" });
    $("doctext").focus();
  } catch (e) { status(e.message, true); }
}

// Document numbers by name, from the freq-by-document table of the corpus.
const docCache = {};
async function docNumbers(corpus) {
  if (!docCache[corpus]) {
    const d = await api("/api/docs", new URLSearchParams({ corpus }));
    docCache[corpus] = {};
    d.rows.forEach((r) => { docCache[corpus][r.path] = r.doc; });
  }
  return docCache[corpus];
}

// ------------------------------------------------------------ other views
function field(label, input) { return el("label", {}, label + " ", input); }
function choice(id, value, options, onchange) {
  const sel = el("select", { id, onchange: (ev) => onchange(ev.target.value) }, ...options.map((o) => el("option", { value: o }, o)));
  sel.value = value;
  return sel;
}

async function showTable(s, path, extra, controls) {
  const params = apiParams(s, extra);
  const data = await api(path, params);
  $("controls").replaceChildren(...controls, downloads(path, params));
  $("result").replaceChildren(table(data.rows));
  return data;
}

const VIEWS = {
  kwic: showKwic,
  async freq(s) {
    // by form or document, or (through CQL) by an attribute or a text's metadata
    const c = corpora.find((x) => x.name === s.corpus) || {};
    const keys = ["form", "doc", ...(c.attributes || []).filter((a) => a !== "word"),
                  ...(c.regions || []).filter((r) => r !== "text_id")];
    const data = await showTable(s, "/api/freq", { by: s.by, top: 1000 },
      [field("By", choice("by", keys.includes(s.by) ? s.by : "form", keys, (v) => writeState({ ...s, by: v })))]);
    status(`${data.hits.toLocaleString()} hits of “${data.query}” by ${s.by}` + (data.truncated ? " (the first hits only)" : ""));
  },
  async collocates(s) {
    const data = await showTable(s, "/api/collocates", { measure: s.measure, top: 100 },
      [field("Measure", choice("measure", s.measure, ["logdice", "mi", "mi3", "t", "z", "g2", "dice", "log_ratio", "chi2", "delta_p", "ms", "fisher"], (v) => writeState({ ...s, measure: v })))]);
    status(`collocates of “${data.query}” (${(data.hits || 0).toLocaleString()} hits), by ${s.measure}`);
  },
  async dispersion(s) {
    const img = el("img", { class: "plot", alt: "Dispersion of " + s.q + " across the documents", src: "/api/dispersion?" + apiParams(s).toString() });
    img.addEventListener("error", () => status("no dispersion plot: the query failed", true));
    $("controls").replaceChildren();
    $("result").replaceChildren(img);
    status(`dispersion of “${s.q}” across the documents of ${s.corpus}`);
  },
  async wordlist(s) {
    await showTable({ ...s, q: "" }, "/api/wordlist", { top: 1000 }, []);
    status(`the word list of ${s.corpus}, 1000 most frequent`);
  },
  async ngrams(s) {
    await showTable({ ...s, q: "" }, "/api/ngrams", { n: s.n, top: 1000 },
      [field("n", choice("n", s.n, ["2", "3", "4", "5"], (v) => writeState({ ...s, n: v })))]);
    status(`${s.n}-grams of ${s.corpus}, 1000 most frequent`);
  },
  async keywords(s) {
    const others = corpora.map((c) => c.name).filter((n) => n !== s.corpus);
    if (!others.length) {
      $("controls").replaceChildren();
      $("result").replaceChildren();
      status("keywords need a second corpus as the reference: serve two indexes", true);
      return;
    }
    const ref = others.includes(s.ref) ? s.ref : others[0];
    await showTable({ ...s, q: "" }, "/api/keywords", { ref, top: 200 },
      [field("Reference", choice("ref", ref, others, (v) => writeState({ ...s, ref: v })))]);
    status(`keywords of ${s.corpus} against ${ref}`);
  },
};

// ------------------------------------------------------------ the frame
async function render() {
  const s = readState();
  if (!s.corpus && corpora.length) s.corpus = corpora[0].name;
  $("corpus").value = s.corpus;
  $("q").value = s.q;
  $("width").value = s.width;
  $("limit").value = s.limit;
  $("sample").value = s.sample;
  $("case").checked = s.case;
  $("regex").checked = s.regex;
  $("cql").checked = s.cql;
  $("show").value = s.show;
  for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === s.tab));
  $("docview").hidden = true;
  if (NEEDS_QUERY[s.tab] && !s.q) {
    $("controls").replaceChildren();
    $("result").replaceChildren();
    status("Type a query: a word, a glob (capitul*), a /regex/ or a phrase (\"the * of\").");
    return;
  }
  status("Working…");
  try { await VIEWS[s.tab](s); } catch (e) {
    $("controls").replaceChildren();
    $("result").replaceChildren();
    status(e.message, true);
  }
}

function formState() {
  const s = readState();
  return { ...s, corpus: $("corpus").value, q: $("q").value.trim(), width: $("width").value, limit: $("limit").value,
           sample: $("sample").value, case: $("case").checked, regex: $("regex").checked,
           cql: $("cql").checked, show: $("show").value.trim(), offset: 0 };
}

async function start() {
  try {
    corpora = (await api("/api/corpora", new URLSearchParams())).corpora;
  } catch (e) { status(e.message, true); return; }
  $("corpus").replaceChildren(...corpora.map((c) => el("option", { value: c.name }, `${c.name} (${c.tokens.toLocaleString()} tokens)`)));
  $("search").addEventListener("submit", (ev) => { ev.preventDefault(); writeState(formState()); });
  $("corpus").addEventListener("change", () => writeState(formState()));
  for (const b of document.querySelectorAll("#tabs button"))
    b.addEventListener("click", () => writeState({ ...readState(), corpus: $("corpus").value, tab: b.dataset.tab, offset: 0 }));
  $("docclose").addEventListener("click", () => { $("docview").hidden = true; });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") $("docview").hidden = true;
    if (ev.key === "/" && document.activeElement !== $("q")) { ev.preventDefault(); $("q").focus(); }
  });
  window.addEventListener("popstate", render);
  render();
}

start();
