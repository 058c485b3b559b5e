// eventwire analyst page: hand-written for this project (plain ES module, no build step, no eval).
// Five views over the API: a world map of the events (Observable Plot's geo
// marks over the vendored world atlas), a dyad (any two actors -> their
// monthly chart and events), an actor (who it is, roles over time, how
// outlets describe it), the quotes (by speaker and words, paged, partial
// quotes folded into the full one) and a search over articles and quotes. An
// event, a quote or a search hit opens its article with the stored offsets
// highlighted and a link to the original.
//
// Every view is addressable: the URL's #fragment is "#VIEW?key=value&..."
// (keys in STATE_KEYS). Controls never draw anything themselves: they set a
// new #fragment (a new history entry), and the hashchange handler renders the
// state, so loading a shared URL, back and forward all go the same way.

const $ = (id) => document.getElementById(id);
// The UMD builds in /static/vendor/, loaded (deferred) before this module.
const { Plot, d3, topojson } = globalThis;
const QUAD_NAMES = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
const QUAD_COLORS = ["#7cc68e", "#23784a", "#f2a154", "#c0392b"];
const VIEWS = ["map", "dyad", "actors", "quotes", "search"];
// What a URL may hold: filters (start, end, all), a dyad (a, b, event), an
// actor (actor, find), quotes (speaker, words, page), a search (q) and an
// open article (doc, with hit = "start-end" highlighted).
const STATE_KEYS = ["start", "end", "all", "a", "b", "event", "actor", "find", "speaker", "words", "page", "q", "doc", "hit"];
// Keys that belong to the article open in one view, dropped when leaving it.
const ARTICLE_KEYS = ["doc", "hit", "event"];
const QUOTES_PER_PAGE = 20;
const ATLAS_URL = "/static/vendor/countries-110m-2.0.2.json";
const TYPE_WORDS = { PERSON: "person", GPE: "country or city", NORP: "people or group", ORG: "organization", LOC: "place", FAC: "facility" };

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

// A newer state was asked for while this one was loading: drop this one.
const STALE = new Error("stale");
let renders = 0;

// ``promise``'s value, unless the URL changed while it was pending.
async function fresh(promise) {
  const ticket = renders;
  const value = await promise;
  if (ticket !== renders) throw STALE;
  return value;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

const signed = (x) => (x > 0 ? `+${x}` : `${x}`);
const asDate = (day) => new Date(`${day}T00:00:00Z`);
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const unquote = (text) => text.replace(/^["“”‘'„«]+|["“”’'„»]+$/g, "");

function showError(err) {
  $("store-info").textContent = `Error: ${err.message}`;
}

// ---------------------------------------------------------------------------
// Actor codes in words ("BLRGOV": "Belarus government"), from /api/codes.

let codeNames = new Map();

function describe(code) {
  return code ? codeNames.get(code) || code : "";
}

// An event's side: its name, and its code in words when that says more.
function sideText(name, code) {
  if (!name && !code) return "someone unnamed";
  if (!code) return name;
  const words = describe(code);
  return name && name !== words ? `${name} (${words})` : words;
}

// ---------------------------------------------------------------------------
// The URL's state

function parseHash() {
  const raw = decodeURIComponent(location.hash.slice(1).split("?", 1)[0]);
  const query = location.hash.includes("?") ? location.hash.slice(location.hash.indexOf("?") + 1) : "";
  const params = new URLSearchParams(query);
  const state = { view: VIEWS.includes(raw) ? raw : "map" };
  for (const key of STATE_KEYS) if (params.get(key)) state[key] = params.get(key);
  return state;
}

function hashOf(next) {
  const params = new URLSearchParams();
  for (const key of STATE_KEYS) if (next[key]) params.set(key, next[key]);
  const query = params.toString();
  return `#${next.view}${query ? `?${query}` : ""}`;
}

let state = parseHash();

// Move to a new state: a new history entry, rendered by the hashchange handler.
// The URL, not ``state``, is the base: an earlier change may not be rendered yet.
function go(changes) {
  const next = { ...parseHash(), ...changes };
  for (const key of Object.keys(next)) if (next[key] === null || next[key] === undefined || next[key] === "") delete next[key];
  const hash = hashOf(next);
  if (hash !== location.hash) location.hash = hash;
}

// The shared filters as API parameters.
function filterParams(extra = {}) {
  const params = new URLSearchParams();
  if (state.start) params.set("start", state.start);
  if (state.end) params.set("end", state.end);
  if (state.all) params.set("all_modalities", "true");
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params;
}

// What the current view's events are: a dyad, an actor, or all of them.
function viewScope() {
  if (state.view === "dyad" && state.a && state.b) return { params: { a: state.a, b: state.b }, text: `${state.a} – ${state.b}` };
  if (state.view === "actors" && state.actor) return { params: { actor: state.actor }, text: $("actor-name")?.textContent || "this actor" };
  return { params: {}, text: "all" };
}

function syncControls() {
  $("filter-start").value = state.start || "";
  $("filter-end").value = state.end || "";
  $("all-modalities").checked = Boolean(state.all);
  $("search-box").value = state.q || "";
  $("actor-a").value = state.a || "";
  $("actor-b").value = state.b || "";
  $("actor-filter").value = state.find || "";
  $("quote-search").value = state.words || "";
  const scope = viewScope();
  const modality = state.all ? "" : " asserted";
  $("download-scope").textContent = `Download ${scope.text === "all" ? "all" : `the ${scope.text}`}${modality} events${state.start || state.end ? " in these dates" : ""}:`;
  for (const link of document.querySelectorAll("a.download")) {
    link.href = `/api/export?${filterParams({ format: link.dataset.format, ...scope.params })}`;
  }
  for (const tab of document.querySelectorAll(".tabs a")) {
    const view = tab.dataset.view;
    tab.setAttribute("aria-current", String(view === state.view));
    const kept = Object.fromEntries(Object.entries(state).filter(([key]) => !ARTICLE_KEYS.includes(key)));
    tab.href = hashOf({ ...kept, view });
  }
}

function showView() {
  for (const view of VIEWS) $(`view-${view}`).hidden = view !== state.view;
  // The one article panel goes to the view that shows articles.
  const slot = $(`view-${state.view}`).querySelector(".article-slot");
  if (slot) slot.append($("article"));
  $("article").hidden = !slot;
}

// ---------------------------------------------------------------------------
// Map

let atlas = null;

function loadAtlas() {
  atlas ??= getJSON(ATLAS_URL).then((world) => {
    const countries = topojson.feature(world, world.objects.countries);
    const byId = new Map(countries.features.filter((f) => f.id).map((f) => [f.id, f]));
    return { countries, byId };
  });
  return atlas;
}

// A country's centroid: that of its largest polygon, so that far islands or
// territories do not pull it out to sea.
function centroid(feature) {
  if (feature.geometry.type !== "MultiPolygon") return d3.geoCentroid(feature);
  const parts = feature.geometry.coordinates.map((coordinates) => ({ type: "Polygon", coordinates }));
  return d3.geoCentroid(parts.reduce((a, b) => (d3.geoArea(a) >= d3.geoArea(b) ? a : b)));
}

const goldsteinColor = (g) => d3.interpolateRdYlGn((Math.max(-10, Math.min(10, g)) + 10) / 20);

let mapDrawn = null;

async function renderMap() {
  const key = filterParams().toString();
  if (mapDrawn === key) return;
  const [found, world] = await fresh(Promise.all([getJSON(`/api/map?${filterParams()}`), loadAtlas()]));
  const at = (numeric) => (world.byId.has(numeric) ? centroid(world.byId.get(numeric)) : null);
  const byCountry = new Map(found.countries.map((c) => [c.numeric, c]));
  const involved = world.countries.features.filter((f) => byCountry.has(f.id));
  const links = found.dyads.map((d) => ({ ...d, from: at(d.a.numeric), to: at(d.b.numeric) })).filter((d) => d.from && d.to);
  const places = found.places.map((p) => ({ ...p, at: p.lon !== null ? [p.lon, p.lat] : at(p.numeric) })).filter((p) => p.at);
  const labels = found.countries.map((c) => ({ ...c, at: at(c.numeric) })).filter((c) => c.at);
  const box = $("map");
  const width = Math.max(480, box.clientWidth);
  const most = Math.max(1, ...found.dyads.map((d) => d.events));
  const map = Plot.plot({
    width, height: Math.round(width * 0.5), projection: "equal-earth",
    ariaLabel: "World map of the events",
    ariaDescription: `${plural(found.events, "event")}; ${found.countries.map((c) => `${c.name} ${c.events}`).join(", ")}`,
    color: { type: "sqrt", scheme: "blues", domain: [0, Math.max(1, ...found.countries.map((c) => c.events))], label: "events with a side of the country", legend: true },
    marks: [
      Plot.sphere({ fill: "#f3f7fb", stroke: "#c9d3dd" }),
      Plot.geo(world.countries, { fill: "#e3e5e8", stroke: "#fff", strokeWidth: 0.4 }),
      Plot.geo(involved, { fill: (f) => byCountry.get(f.id).events, stroke: "#fff", strokeWidth: 0.6, className: "map-country",
                           title: (f) => `${byCountry.get(f.id).name}: ${plural(byCountry.get(f.id).events, "event")}`,
                           ariaLabel: (f) => `${byCountry.get(f.id).name}: ${plural(byCountry.get(f.id).events, "event")}` }),
      Plot.link(links, { x1: (d) => d.from[0], y1: (d) => d.from[1], x2: (d) => d.to[0], y2: (d) => d.to[1],
                         stroke: { value: (d) => goldsteinColor(d.goldstein_mean), scale: null }, strokeOpacity: 0.9,
                         strokeWidth: { value: (d) => 1.5 + (6 * d.events) / most, scale: null }, className: "map-dyad",
                         title: (d) => `${d.a.name} – ${d.b.name}: ${plural(d.events, "event")}, mean Goldstein ${signed(d.goldstein_mean)}`,
                         ariaLabel: (d) => `${d.a.name} – ${d.b.name}: ${plural(d.events, "event")}` }),
      Plot.dot(labels, { x: (c) => c.at[0], y: (c) => c.at[1], r: 2.5, fill: "#1d1d1f" }),
      Plot.text(labels, { x: (c) => c.at[0], y: (c) => c.at[1], text: "name", dy: -9, fontSize: 11, fontWeight: 600,
                          fill: "#1d1d1f", stroke: "#fff", strokeWidth: 3, paintOrder: "stroke", className: "map-label" }),
      Plot.dot(places, { x: (p) => p.at[0], y: (p) => p.at[1], r: (p) => 3 + 2 * Math.sqrt(p.events), fill: "#c0392b",
                         stroke: "#fff", className: "map-place", title: (p) => `${p.name}: ${plural(p.events, "event")}`,
                         ariaLabel: (p) => `${p.name}: ${plural(p.events, "event")}` }),
    ],
  });
  map.classList.add("world-map");
  box.replaceChildren(map);
  $("map-heading").textContent = `Events on the map: ${plural(found.events, "event")}, ${found.located} with a known place`;
  fillMapLists(found);
  mapDrawn = key;
}

function fillMapLists(found) {
  $("map-dyads").replaceChildren(...found.dyads.map((d) => {
    const button = el("button", { type: "button", class: "dyad", "data-a": d.a.iso3, "data-b": d.b.iso3 },
      el("span", { class: "what" }, `${d.a.name} – ${d.b.name}`),
      el("span", { class: "muted small" }, ` ${plural(d.events, "event")}, mean Goldstein ${signed(d.goldstein_mean)}`));
    button.addEventListener("click", () => go({ view: "dyad", a: d.a.iso3, b: d.b.iso3, event: null, doc: null, hit: null }));
    return el("li", {}, button);
  }));
  if (!found.dyads.length) $("map-dyads").append(el("li", { class: "muted" }, "No events between actors of two countries."));
  $("map-places").replaceChildren(...found.places.map((p) =>
    el("li", { class: "place" }, `${p.name}${p.kind === "city" ? `, ${p.iso3}` : ""} — ${plural(p.events, "event")}`)));
  if (!found.places.length) $("map-places").append(el("li", { class: "muted" }, "No event has a place the gazetteer knows."));
}

// ---------------------------------------------------------------------------
// Dyad: picker, chart and events

let typing;

// Type-ahead: the actors whose name or code matches what was typed.
async function suggestActors(text) {
  const params = new URLSearchParams({ limit: 30 });
  if (text) params.set("q", text);
  const found = await getJSON(`/api/actors?${params}`);
  const seen = new Set();
  const options = [];
  for (const actor of found) {
    if (seen.has(actor.name)) continue;
    seen.add(actor.name);
    const what = [TYPE_WORDS[actor.type] || actor.type.toLowerCase(), describe(actor.actor)].filter(Boolean).join(" · ");
    options.push(el("option", { value: actor.name, label: what }));
  }
  $("actor-options").replaceChildren(...options);
}

function pickDyad() {
  const a = $("actor-a").value.trim(), b = $("actor-b").value.trim();
  if (a && b) go({ a, b, event: null, doc: null, hit: null });
}

// The months the series covers, padded by one on each side so the end bars
// are not cut by the frame.
function monthDomain(series) {
  const first = asDate(series[0].period), last = asDate(series.at(-1).period);
  return [new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 1)),
          new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 2, 1))];
}

const monthName = (d) => d.toLocaleDateString("en", { month: "short", year: "numeric", timeZone: "UTC" });

// Two panels sharing the month axis: events stacked by quad class, and the
// Goldstein sum as a dot on a stem from zero (one y scale each, so no
// misleading double axis).
function drawChart(timeline) {
  const box = $("chart");
  box.replaceChildren();
  fillChartTable(timeline);
  if (!timeline.series.length) {
    box.append(el("p", { class: "muted" }, "No events dated to a day between these actors."));
    return;
  }
  const width = Math.max(320, box.clientWidth);
  const domain = monthDomain(timeline.series);
  const margins = { marginLeft: 48, marginRight: 24 };
  const rows = timeline.series.flatMap((s) => s.quad_counts.map((n, q) => ({ month: asDate(s.period), quad: QUAD_NAMES[q], n })))
    .filter((r) => r.n > 0);
  const dyad = `${timeline.a} and ${timeline.b}`;
  // Whole numbers only on the count axis: at most five ticks, one apart or more.
  const most = Math.max(1, ...timeline.series.map((s) => s.events));
  const countTicks = d3.range(0, most + 1, Math.ceil(most / 4));
  const counts = Plot.plot({
    width, height: 150, ...margins,
    ariaLabel: `Events per month between ${dyad}, stacked by quad class`,
    ariaDescription: timeline.series.map((s) => `${monthName(asDate(s.period))}: ${s.events} events (${s.quad_counts.map((n, q) => `${n} ${QUAD_NAMES[q]}`).join(", ")})`).join("; "),
    x: { type: "utc", domain, label: null, axis: null },
    y: { label: "events", grid: true, domain: [0, most], ticks: countTicks, tickFormat: "d" },
    color: { domain: QUAD_NAMES, range: QUAD_COLORS, legend: true, className: "quad-legend" },
    marks: [
      Plot.rectY(rows, { x: "month", interval: "month", y: "n", fill: "quad", inset: 1,
                         title: (r) => `${monthName(r.month)}: ${r.n} ${r.quad}`,
                         ariaLabel: (r) => `${monthName(r.month)}: ${r.n} ${r.quad}` }),
      Plot.ruleY([0]),
    ],
  });
  const gold = timeline.series.map((s) => ({ month: new Date(asDate(s.period).getTime() + 15 * 864e5), sum: s.goldstein_sum, events: s.events }));
  const swing = Math.max(1, ...gold.map((g) => Math.abs(g.sum)));
  const sums = Plot.plot({
    width, height: 120, ...margins,
    ariaLabel: `Goldstein sum per month between ${dyad}`,
    ariaDescription: gold.map((g) => `${monthName(g.month)}: ${signed(g.sum)}`).join("; "),
    x: { type: "utc", domain, label: null, ticks: Math.max(2, Math.floor(width / 90)) },
    y: { label: "Goldstein sum", domain: [-swing, swing], nice: true, grid: true },
    color: { type: "diverging", scheme: "RdYlGn", domain: [-swing, swing] },
    marks: [
      Plot.ruleY([0], { stroke: "#888" }),
      Plot.ruleX(gold, { x: "month", y1: 0, y2: "sum", stroke: "#555" }),
      Plot.dot(gold, { x: "month", y: "sum", fill: "sum", stroke: "#222", r: 5,
                       title: (g) => `${monthName(g.month)}: Goldstein sum ${signed(g.sum)} over ${g.events} events`,
                       ariaLabel: (g) => `${monthName(g.month)}: Goldstein sum ${signed(g.sum)}` }),
      Plot.text(gold, { x: "month", y: "sum", text: (g) => signed(g.sum), dx: 9, textAnchor: "start", fontWeight: 600,
                        className: "goldstein-label" }),
    ],
  });
  counts.classList.add("plot-counts");
  sums.classList.add("plot-goldstein");
  box.append(counts, sums);
  dropOverlappingLabels(sums);
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

// Keep the Goldstein labels readable: the largest sums keep their label, and
// a label that would overlap one already kept, or another month's dot, is
// dropped (its value stays in the dot's tooltip and the table).
function dropOverlappingLabels(svg) {
  const labels = [...svg.querySelectorAll(".goldstein-label text")];
  const size = (t) => Math.abs(Number(t.textContent.replace("+", "")));
  const dots = [...svg.querySelectorAll("circle")].map((c) => c.getBoundingClientRect());
  const kept = [];
  for (const label of labels.sort((x, y) => size(y) - size(x))) {
    const box = label.getBoundingClientRect();
    if (kept.some((k) => overlaps(k, box)) || dots.some((d) => overlaps(d, box))) label.remove();
    else kept.push(box);
  }
}

// The same numbers as a table, for screen readers and for copying.
function fillChartTable(timeline) {
  const body = $("chart-data").querySelector("tbody");
  body.replaceChildren(...timeline.series.map((s) => el("tr", {},
    el("th", { scope: "row" }, s.period.slice(0, 7)), el("td", {}, String(s.events)),
    ...s.quad_counts.map((n) => el("td", {}, String(n))), el("td", {}, signed(s.goldstein_sum)))));
  $("chart-data").hidden = !timeline.series.length;
}

function drawEvents(timeline) {
  const list = $("event-list");
  $("event-count").textContent = `(${timeline.events.length}, Goldstein sum ${signed(timeline.goldstein_sum)})`;
  list.replaceChildren(...timeline.events.map((ev) => {
    const button = el("button", { type: "button", class: `event q${ev.quad_class}`, "aria-pressed": "false",
                                  "data-doc": ev.doc_id, "data-event": ev.event_id, "data-key": ev.event_key, "data-date": ev.date || "" },
      el("span", { class: "when" }, `${ev.date || "undated"} · `),
      el("span", { class: "what" }, `${sideText(ev.source_name, ev.source_actor)} → ${sideText(ev.target_name, ev.target_actor)}: ${ev.label} (${ev.code}, ${signed(ev.goldstein)})`),
      el("span", { class: "ev" }, ev.modality === "asserted" ? ev.evidence : `[${ev.modality}] ${ev.evidence}`));
    button.addEventListener("click", () => go({ event: ev.event_key, doc: ev.doc_id, hit: null }));
    return el("li", {}, button);
  }));
  if (!timeline.events.length) list.append(el("li", { class: "muted" }, "No events between these actors in these dates."));
}

let dyadDrawn = null;

async function renderDyad() {
  if (!state.a || !state.b) {
    dyadDrawn = null;
    $("chart").replaceChildren(el("p", { class: "muted" }, "Choose two actors: countries, people, ministries, groups."));
    $("event-list").replaceChildren();
    $("event-count").textContent = "";
    return;
  }
  const params = filterParams({ a: state.a, b: state.b });
  if (dyadDrawn !== params.toString()) {
    const timeline = await fresh(getJSON(`/api/timeline?${params}`));
    drawChart(timeline);
    drawEvents(timeline);
    dyadDrawn = params.toString();
  }
  for (const button of $("event-list").querySelectorAll("button.event")) {
    button.setAttribute("aria-pressed", String(button.dataset.key === state.event));
  }
}

// ---------------------------------------------------------------------------
// Article with its marks

// Split the text at every span boundary; each piece carries the classes of
// the spans covering it. Pieces under a highlighted span become <mark>s.
function annotate(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = text.slice(from, to);
    const covering = spans.filter((s) => s.start <= from && to <= s.end);
    const classes = [...new Set(covering.map((s) => s.cls))];
    if (!classes.length) { fragment.append(piece); continue; }
    const node = el(classes.includes("evidence") || classes.includes("hit") ? "mark" : "span", { class: classes.join(" ") }, piece);
    const titles = [...new Set(covering.filter((s) => s.title).map((s) => s.title))];
    if (titles.length) node.title = titles.join("\n");
    fragment.append(node);
  }
  return fragment;
}

function hostOf(url) {
  try { return new URL(url).host; } catch { return url; }
}

// Where the article came from: a link to the original when its URL is known.
function showSource(article) {
  const box = $("article-source");
  const { url, outlet, path } = article.source;
  box.replaceChildren();
  if (url && /^https?:\/\//i.test(url)) {
    box.append("Original: ", el("a", { href: url, rel: "noopener noreferrer", target: "_blank", id: "source-link" }, outlet || hostOf(url)));
  } else if (url || path) {
    box.append(`Source: ${url || path}${outlet ? ` (${outlet})` : ""}`);
  }
  box.hidden = !box.childNodes.length;
}

async function eventReport() {
  const detail = await fresh(getJSON(`/api/events/${encodeURIComponent(state.event)}`));
  return detail.reports.find((r) => r.doc_id === state.doc) || detail.reports[0];
}

let articleShown = null;

// The article of the state (``doc``), with the event's evidence and trigger
// (``event``) or a span (``hit``: a quote or a search match) highlighted.
async function renderArticle() {
  if (!$(`view-${state.view}`).querySelector(".article-slot")) return;
  const key = `${state.doc}|${state.event}|${state.hit}`;
  if (key === articleShown) return;
  if (!state.doc && !state.event) {
    $("article-title").textContent = "Article";
    $("article-meta").textContent = "Click an event, a quote or a search result to read its article with the evidence highlighted.";
    $("article-text").replaceChildren();
    $("article-source").hidden = true;
    articleShown = key;
    return;
  }
  const report = state.event ? await eventReport() : null;
  const docId = report ? report.doc_id : state.doc;
  const article = await fresh(getJSON(`/api/articles/${encodeURIComponent(docId)}`));
  const event = report && article.events.find((e) => e.id === report.event_id);
  $("article-title").textContent = article.title || "(untitled article)";
  const credited = article.source.outlet || (article.source.url ? hostOf(article.source.url) : "");
  $("article-meta").textContent = [article.published ? `published ${article.published}` : "undated", credited].filter(Boolean).join(" · ");
  showSource(article);
  const spans = [];
  for (const entity of article.entities) {
    for (const m of entity.mentions) spans.push({ start: m.start, end: m.end, cls: "entity", title: sideText(entity.name, entity.actor) });
  }
  for (const q of article.quotes) spans.push({ start: q.start, end: q.end, cls: "quote", title: `quote: ${q.speaker_name || "unknown speaker"}` });
  for (const t of article.times) spans.push({ start: t.start, end: t.end, cls: "time", title: t.value ? `time: ${t.value}` : "time" });
  if (event) {
    spans.push({ start: event.evidence.start, end: event.evidence.end, cls: "evidence" });
    spans.push({ start: event.trigger.start, end: event.trigger.end, cls: "trigger", title: `${event.label} (${event.code})` });
  }
  const hit = /^(\d+)-(\d+)$/.exec(state.hit || "");
  if (hit) spans.push({ start: Number(hit[1]), end: Number(hit[2]), cls: "hit" });
  const box = $("article-text");
  box.replaceChildren(annotate(article.text, spans));
  $("article-entities").replaceChildren(...article.entities.map((e) =>
    el("li", {}, `${sideText(e.name, e.actor)} — ${TYPE_WORDS[e.type] || e.type}, ${plural(e.mentions.length, "mention")}${e.labels && e.labels.length ? `; described as ${e.labels.join(", ")}` : ""}`)));
  $("article-quotes").replaceChildren(...article.quotes.map((q) =>
    el("li", {}, `${q.speaker_name || "unknown"}: “${unquote(q.text)}”`)));
  // Scroll the article box (not the page) to the highlight.
  const first = box.querySelector("mark");
  box.scrollTop = first ? Math.max(0, first.offsetTop - box.clientHeight / 3) : 0;
  articleShown = key;
}

// ---------------------------------------------------------------------------
// Actors

let actorsListed = null;

async function renderActors() {
  const find = state.find || "";
  if (actorsListed !== find) {
    const params = new URLSearchParams({ limit: 200 });
    if (find) params.set("q", find);
    const entries = await fresh(getJSON(`/api/actor-entries?${params}`));
    $("actor-list").replaceChildren(...entries.map((entry) => {
      const roles = [...new Set(entry.codes.map((c) => describe(c.code)))].join("; ");
      const button = el("button", { type: "button", class: "actor", "aria-pressed": "false", "data-actor": entry.actor_id },
        el("span", { class: "what" }, entry.name),
        el("span", { class: "muted small" }, ` ${TYPE_WORDS[entry.type] || entry.type.toLowerCase()}${roles ? ` · ${roles}` : ""} · ${plural(entry.mentions, "mention")} in ${plural(entry.articles, "article")}`));
      button.addEventListener("click", () => go({ actor: entry.actor_id }));
      return el("li", {}, button);
    }));
    if (!entries.length) $("actor-list").append(el("li", { class: "muted" }, "No actor matches."));
    actorsListed = find;
  }
  for (const button of $("actor-list").querySelectorAll("button.actor")) {
    button.setAttribute("aria-pressed", String(button.dataset.actor === state.actor));
  }
  await renderActorDetail();
}

function chips(items, cls = "chip") {
  return el("ul", { class: "chips" }, ...items.map(([text, n]) => el("li", { class: cls }, text, el("span", { class: "n" }, `×${n}`))));
}

function table(headers, rows, cls) {
  return el("table", { class: `data ${cls}` },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c))))));
}

// The periods each code was given (by the articles' publication dates).
function codesChart(codes) {
  const dated = codes.filter((c) => c.first && c.last).map((c) => ({ ...c, role: describe(c.code), from: asDate(c.first), to: asDate(c.last) }));
  if (!dated.length) return el("span");
  return Plot.plot({
    height: 40 + 28 * new Set(dated.map((c) => c.role)).size, marginLeft: 160, width: 560,
    ariaLabel: "Roles over time",
    ariaDescription: dated.map((c) => `${c.role} from ${c.first} to ${c.last}`).join("; "),
    x: { type: "utc", label: null, nice: true },
    y: { label: null },
    marks: [
      Plot.ruleY(dated, { y: "role", x1: "from", x2: "to", stroke: "#3b6fb6", strokeWidth: 6, strokeLinecap: "round" }),
      Plot.dot(dated, { y: "role", x: "from", fill: "#3b6fb6", r: 5, title: (c) => `${c.role} (${c.code}): ${c.first} – ${c.last}, ${c.n} article(s)` }),
      Plot.dot(dated, { y: "role", x: "to", fill: "#3b6fb6", r: 5 }),
    ],
  });
}

// How outlets describe the actor: by outlet when the articles name one.
function labelsSection(labels) {
  if (!labels.length) return el("p", { class: "muted" }, "No outlet described this actor with a title or label.");
  const known = labels.filter((l) => !l.outlet.startsWith("("));
  const unknown = labels.filter((l) => l.outlet.startsWith("("));
  const byOutlet = new Map();
  for (const l of known) {
    if (!byOutlet.has(l.outlet)) byOutlet.set(l.outlet, []);
    byOutlet.get(l.outlet).push([l.label, l.n]);
  }
  const parts = [];
  if (byOutlet.size) parts.push(table(["outlet", "describes it as"], [...byOutlet].map(([outlet, items]) => [outlet, chips(items, "chip label")]), "labels"));
  if (unknown.length) parts.push(el("p", { class: "small muted" }, byOutlet.size ? "In articles without a named outlet:" : ""), chips(unknown.map((l) => [l.label, l.n]), "chip label"));
  return el("div", { class: "labels-box" }, ...parts);
}

// Roles corpus memory learned for this person from titles in earlier articles,
// each with the dates it held and a link to the mention that taught it.
async function learnedSection(entry) {
  const section = el("div", { class: "learned-box", id: "learned-roles" });
  if (entry.type !== "PERSON") return section;
  const surname = entry.name.split(/\s+/).pop();
  const roles = (await fresh(getJSON(`/api/learned-roles?q=${encodeURIComponent(surname)}&limit=100`)))
    .filter((r) => r.name.split(/\s+/).pop().toLowerCase() === surname.toLowerCase());
  if (!roles.length) return section;
  const rows = roles.map((r) => {
    const link = el("button", { type: "button", class: "linkish" }, r.title || "the article");
    link.addEventListener("click", () => go({ doc: r.taught_by, hit: `${r.start}-${r.end}`, event: null }));
    return [describe(r.code), r.code, r.valid_from, r.valid_to || "still holds", link];
  });
  section.append(el("h3", {}, "Learned roles"),
    el("p", { class: "small muted" }, "Coded from a title in an earlier article; used for later articles that name the person without one."),
    table(["role", "code", "from", "until", "taught by"], rows, "learned"));
  return section;
}

let actorShown = null;

async function renderActorDetail() {
  const box = $("actor-detail");
  if (!state.actor) {
    actorShown = null;
    box.replaceChildren(el("p", { class: "muted" }, "Choose an actor to see who it is, its roles over time and how outlets describe it."));
    return;
  }
  if (actorShown === state.actor) return;
  const profile = await fresh(getJSON(`/api/actors/${encodeURIComponent(state.actor)}`));
  const entry = profile.actors.find((a) => a.actor_id === state.actor) || profile.actors[0];
  box.replaceChildren();
  actorShown = state.actor;
  if (!entry) { box.append(el("p", { class: "muted" }, "Nothing stored for this actor.")); return; }
  const roles = [...new Set(entry.codes.map((c) => describe(c.code)))];
  box.append(
    el("h2", { id: "actor-name" }, entry.name),
    el("p", { class: "muted", id: "actor-summary" }, [TYPE_WORDS[entry.type] || entry.type.toLowerCase(), roles.join("; "),
      `${plural(entry.mentions, "mention")} in ${plural(entry.articles, "article")}`].filter(Boolean).join(" · ")),
    el("h3", {}, "Also called"),
    entry.aliases.length ? chips(entry.aliases.map((a) => [a.value, a.n])) : el("p", { class: "muted" }, "no other name"),
    el("h3", {}, "Roles over time"),
  );
  if (entry.codes.length) {
    box.append(codesChart(entry.codes), table(["role", "code", "first seen", "last seen", "articles"],
      entry.codes.map((c) => [describe(c.code), c.code, c.first || "undated", c.last || "undated", String(c.n)]), "codes"));
  } else {
    box.append(el("p", { class: "muted" }, "never coded"));
  }
  box.append(await learnedSection(entry));
  box.append(el("h3", {}, "Described as"), labelsSection(entry.labels));
  const events = profile.events_as_source + profile.events_as_target;
  box.append(el("h3", {}, "Events"));
  if (!events) { box.append(el("p", { class: "muted" }, "none")); return; }
  box.append(
    el("p", {}, `${profile.events_as_source} as source, ${profile.events_as_target} as target`,
       profile.first_date ? `, ${profile.first_date} – ${profile.last_date}` : "",
       profile.goldstein_mean !== null ? `; mean Goldstein ${signed(profile.goldstein_mean)}` : ""),
    chips(profile.quad_counts.map((n, q) => [QUAD_NAMES[q], n]).filter(([, n]) => n), "chip quad"),
    el("p", { class: "small partners" }, "Most frequent partners: ",
       profile.top_partners.map((p) => `${describe(p.value)} (${p.n})`).join(", ") || "none"),
  );
}

// ---------------------------------------------------------------------------
// Quotes

let speakersLoaded = null;

function loadSpeakers() {
  speakersLoaded ??= getJSON("/api/quotes/speakers?limit=500").then((speakers) => {
    $("speaker").append(...speakers.map((s) => el("option", { value: s.name }, `${s.name}${s.actor ? ` (${describe(s.actor)})` : ""} — ${s.quotes}`)));
  });
  return speakersLoaded;
}

function quoteItem(q) {
  const item = el("button", { type: "button", class: `quote-item ${q.kind}`, "aria-pressed": String(state.doc === q.doc_id && state.hit === `${q.start}-${q.end}`),
                              "data-doc": q.doc_id, "data-start": q.start, "data-end": q.end },
    el("span", { class: "who" }, q.speaker_name ? sideText(q.speaker_name, q.speaker_actor) : "unknown speaker"),
    el("span", { class: "muted small" }, ` ${q.cue || q.kind} · ${q.published || "undated"}`),
    el("q", { class: "said" }, unquote(q.text)));
  if (q.parts && q.parts.length) {
    item.append(el("span", { class: "parts small muted" }, `also quoted on its own: ${q.parts.map((p) => `“${unquote(p.text)}”`).join(", ")}`));
  }
  item.addEventListener("click", () => go({ doc: q.doc_id, hit: `${q.start}-${q.end}`, event: null }));
  return el("li", {}, item);
}

let quotesShown = null;

async function renderQuotes() {
  await fresh(loadSpeakers());
  $("speaker").value = state.speaker || "";
  const page = Math.max(1, Number(state.page) || 1);
  const params = new URLSearchParams({ limit: QUOTES_PER_PAGE, offset: (page - 1) * QUOTES_PER_PAGE });
  if (state.speaker) params.set("speaker", state.speaker);
  if (state.words) params.set("q", state.words);
  const key = `${params}|${state.doc}|${state.hit}`;
  if (quotesShown === key) return;
  const found = await fresh(getJSON(`/api/quotes/browse?${params}`));
  $("quote-list").replaceChildren(...found.quotes.map(quoteItem));
  if (!found.quotes.length) $("quote-list").append(el("li", { class: "muted" }, "No quote matches."));
  const pages = Math.max(1, Math.ceil(found.total / QUOTES_PER_PAGE));
  $("quote-count").textContent = `(${found.total})`;
  $("quote-page").textContent = `page ${page} of ${pages}`;
  $("quote-prev").disabled = page <= 1;
  $("quote-next").disabled = page >= pages;
  quotesShown = key;
}

// ---------------------------------------------------------------------------
// Search over articles and quotes

let searched = null;

async function renderSearch() {
  const q = state.q || "";
  if (searched === `${q}|${state.doc}|${state.hit}`) return;
  if (!q) {
    $("search-summary").textContent = "";
    $("search-articles").replaceChildren(el("li", { class: "muted" }, "Type words in the search box."));
    $("search-quotes").replaceChildren();
    searched = `${q}|${state.doc}|${state.hit}`;
    return;
  }
  const params = new URLSearchParams({ q, limit: 50 });
  const [articles, quotes] = await fresh(Promise.all([getJSON(`/api/search?${params}`), getJSON(`/api/quotes/browse?${params}`)]));
  $("search-summary").textContent = `for “${q}”: ${plural(articles.length, "article")}, ${plural(quotes.total, "quote")}`;
  $("search-articles").replaceChildren(...articles.map((hit) => {
    const span = `${hit.start}-${hit.start + q.length}`;
    const button = el("button", { type: "button", class: "article-hit", "data-doc": hit.doc_id, "aria-pressed": String(state.doc === hit.doc_id) },
      el("span", { class: "what" }, hit.title || "(untitled article)"),
      el("span", { class: "muted small" }, ` ${hit.published || "undated"}${hit.outlet ? ` · ${hit.outlet}` : ""}`),
      el("span", { class: "ev" }, `…${hit.snippet.trim()}…`));
    button.addEventListener("click", () => go({ doc: hit.doc_id, hit: span, event: null }));
    return el("li", {}, button);
  }));
  if (!articles.length) $("search-articles").append(el("li", { class: "muted" }, "No article has these words."));
  $("search-quotes").replaceChildren(...quotes.quotes.map(quoteItem));
  if (!quotes.quotes.length) $("search-quotes").append(el("li", { class: "muted" }, "No quote has these words."));
  searched = `${q}|${state.doc}|${state.hit}`;
}

// ---------------------------------------------------------------------------

const RENDERERS = { map: renderMap, dyad: renderDyad, actors: renderActors, quotes: renderQuotes, search: renderSearch };

// Draw the state of the URL; body[data-rendered] holds the #fragment drawn
// last, for whoever waits for the page (the browser tests).
async function render() {
  state = parseHash();
  const ticket = ++renders;
  syncControls();
  showView();
  try {
    await RENDERERS[state.view]();
    await renderArticle();
    syncControls(); // the download scope may name what was just drawn
  } catch (err) {
    if (err === STALE) return;
    showError(err);
  }
  if (ticket === renders) document.body.dataset.rendered = location.hash || "#";
}

function wireControls() {
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("search-box").value.trim();
    if (q) go({ view: "search", q, doc: null, hit: null, event: null });
  });
  $("filter-start").addEventListener("change", () => go({ start: $("filter-start").value }));
  $("filter-end").addEventListener("change", () => go({ end: $("filter-end").value }));
  $("all-modalities").addEventListener("change", () => go({ all: $("all-modalities").checked ? "1" : null }));
  $("clear-dates").addEventListener("click", () => go({ start: null, end: null }));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("dyad").addEventListener("submit", (e) => { e.preventDefault(); pickDyad(); });
  for (const id of ["actor-a", "actor-b"]) {
    $(id).addEventListener("change", pickDyad);
    $(id).addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => suggestActors($(id).value.trim()).catch(showError), 150);
    });
  }
  let finding;
  $("actor-filter").addEventListener("input", () => {
    clearTimeout(finding);
    finding = setTimeout(() => go({ find: $("actor-filter").value.trim() }), 250);
  });
  $("speaker").addEventListener("change", () => go({ speaker: $("speaker").value, page: null, doc: null, hit: null }));
  $("quote-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go({ words: $("quote-search").value.trim(), page: null, doc: null, hit: null });
  });
  const page = () => Number(parseHash().page) || 1;
  $("quote-prev").addEventListener("click", () => go({ page: String(Math.max(1, page() - 1)) }));
  $("quote-next").addEventListener("click", () => go({ page: String(page() + 1) }));
  window.addEventListener("hashchange", render);
}

async function start() {
  const [health, codes] = await Promise.all([getJSON("/healthz"), getJSON("/api/codes")]);
  codeNames = new Map(codes.map((c) => [c.code, c.description]));
  $("store-info").textContent = `${plural(health.articles, "article")} in the store · eventwire ${health.version}`;
  wireControls();
  suggestActors("").catch(showError);
  await render();
  document.body.dataset.ready = "true";
}

start().catch(showError);
