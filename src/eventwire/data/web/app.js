// eventwire analyst page: hand-written for this project (plain ES module, no build step).
// Three views over the API: a dyad (two actors -> their monthly chart, drawn
// with the vendored Observable Plot, and their events), an actor (aliases,
// codes over time, each outlet's labels) and the quotes (by speaker). An event
// or a quote opens its article with the stored offsets highlighted.

const $ = (id) => document.getElementById(id);
const Plot = globalThis.Plot; // the UMD build in /static/vendor/, loaded before this module
const QUAD_NAMES = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
const QUAD_COLORS = ["#7cc68e", "#23784a", "#f2a154", "#c0392b"];
const VIEWS = ["dyad", "actors", "quotes"];

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function actorText(name, code) {
  if (!name && !code) return "?";
  return code ? `${name || code} [${code}]` : name;
}

const signed = (x) => (x > 0 ? `+${x}` : `${x}`);
const asDate = (day) => new Date(`${day}T00:00:00Z`);

function showError(err) {
  $("store-info").textContent = `Error: ${err.message}`;
}

// Mark one button of a list as the chosen one.
function press(list, button) {
  for (const other of list.querySelectorAll("button[aria-pressed]")) other.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-pressed", "true");
}

// ---------------------------------------------------------------------------
// Views (the URL's #fragment names one)

function showView(name) {
  if (!VIEWS.includes(name)) name = "dyad";
  for (const view of VIEWS) {
    $(`view-${view}`).hidden = view !== name;
    $(`tab-${view}`).setAttribute("aria-selected", String(view === name));
  }
  // The one article panel goes to the view that shows articles.
  const slot = $(`view-${name}`).querySelector(".article-slot");
  if (slot) slot.append($("article"));
  $("article").hidden = !slot;
  if (name === "actors") loadActors().catch(showError);
  if (name === "quotes") loadQuotes().catch(showError);
}

// ---------------------------------------------------------------------------
// Dyad: chart and events

// Countries (three-letter code prefixes) among the coded actors, named by the
// place entity coded exactly so when there is one.
function countries(actors) {
  const names = new Map();
  for (const actor of actors) {
    if (!actor.actor || !/^[A-Z]{3}/.test(actor.actor)) continue;
    const code = actor.actor.slice(0, 3);
    const isPlace = actor.actor === code && actor.type === "GPE";
    if (!names.has(code) || (isPlace && !names.get(code).isPlace)) names.set(code, { name: isPlace ? actor.name : code, isPlace });
  }
  return [...names.entries()].map(([code, v]) => ({ code, name: v.name })).sort((x, y) => x.name.localeCompare(y.name));
}

function fillSelect(select, options) {
  for (const { code, name } of options) select.append(el("option", { value: code }, name === code ? code : `${name} (${code})`));
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
  const margins = { marginLeft: 48, marginRight: 16 };
  const rows = timeline.series.flatMap((s) => s.quad_counts.map((n, q) => ({ month: asDate(s.period), quad: QUAD_NAMES[q], n })))
    .filter((r) => r.n > 0);
  const dyad = `${timeline.a} and ${timeline.b}`;
  const counts = Plot.plot({
    width, height: 150, ...margins,
    ariaLabel: `Events per month between ${dyad}, stacked by quad class`,
    ariaDescription: timeline.series.map((s) => `${monthName(asDate(s.period))}: ${s.events} events (${s.quad_counts.map((n, q) => `${n} ${QUAD_NAMES[q]}`).join(", ")})`).join("; "),
    x: { type: "utc", domain, label: null, axis: null },
    y: { label: "events", grid: true, nice: true, tickFormat: "d" },
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
    width, height: 110, ...margins,
    ariaLabel: `Goldstein sum per month between ${dyad}`,
    ariaDescription: gold.map((g) => `${monthName(g.month)}: ${signed(g.sum)}`).join("; "),
    x: { type: "utc", domain, label: null },
    y: { label: "Goldstein sum", domain: [-swing, swing], nice: true, grid: true },
    color: { type: "diverging", scheme: "RdYlGn", domain: [-swing, swing] },
    marks: [
      Plot.ruleY([0], { stroke: "#888" }),
      Plot.ruleX(gold, { x: "month", y1: 0, y2: "sum", stroke: "#555" }),
      Plot.dot(gold, { x: "month", y: "sum", fill: "sum", stroke: "#222", r: 5,
                       title: (g) => `${monthName(g.month)}: Goldstein sum ${signed(g.sum)} over ${g.events} events`,
                       ariaLabel: (g) => `${monthName(g.month)}: Goldstein sum ${signed(g.sum)}` }),
      Plot.text(gold, { x: "month", y: "sum", text: (g) => signed(g.sum), dx: 9, textAnchor: "start", fontWeight: 600 }),
    ],
  });
  counts.classList.add("plot-counts");
  sums.classList.add("plot-goldstein");
  box.append(counts, sums);
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
  list.replaceChildren();
  $("event-count").textContent = `(${timeline.events.length}, Goldstein sum ${signed(timeline.goldstein_sum)})`;
  for (const ev of timeline.events) {
    const button = el("button", { type: "button", class: `event q${ev.quad_class}`, "aria-pressed": "false",
                                  "data-doc": ev.doc_id, "data-event": ev.event_id },
      el("span", { class: "when" }, `${ev.date || "undated"} · `),
      el("span", { class: "what" }, `${actorText(ev.source_name, ev.source_actor)} → ${actorText(ev.target_name, ev.target_actor)}: ${ev.label} (${ev.code}, ${signed(ev.goldstein)})`),
      el("span", { class: "ev" }, ev.modality === "asserted" ? ev.evidence : `[${ev.modality}] ${ev.evidence}`));
    button.addEventListener("click", () => {
      press(list, button);
      showArticle(ev.doc_id, { eventId: ev.event_id }).catch(showError);
    });
    list.append(el("li", {}, button));
  }
}

async function refreshDyad() {
  const a = $("actor-a").value, b = $("actor-b").value;
  if (!a || !b) return;
  const params = new URLSearchParams({ a, b, all_modalities: $("all-modalities").checked });
  const timeline = await getJSON(`/api/timeline?${params}`);
  drawChart(timeline);
  drawEvents(timeline);
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

// ``eventId`` highlights that event's evidence and trigger; ``quote``
// ({start, end}) highlights that quote.
async function showArticle(docId, { eventId = null, quote = null } = {}) {
  const article = await getJSON(`/api/articles/${encodeURIComponent(docId)}`);
  const event = eventId && article.events.find((e) => e.id === eventId);
  $("article-title").textContent = article.title || "(untitled article)";
  const source = article.source.outlet || article.source.url || article.source.path || "";
  $("article-meta").textContent = [article.published ? `published ${article.published}` : "undated", source].filter(Boolean).join(" · ");
  const spans = [];
  for (const entity of article.entities) {
    for (const m of entity.mentions) spans.push({ start: m.start, end: m.end, cls: "entity", title: actorText(entity.name, entity.actor) });
  }
  for (const q of article.quotes) spans.push({ start: q.start, end: q.end, cls: "quote", title: `quote: ${q.speaker_name || "unknown speaker"}` });
  for (const t of article.times) spans.push({ start: t.start, end: t.end, cls: "time", title: t.value ? `time: ${t.value}` : "time" });
  if (event) {
    spans.push({ start: event.evidence.start, end: event.evidence.end, cls: "evidence" });
    spans.push({ start: event.trigger.start, end: event.trigger.end, cls: "trigger", title: `${event.label} (${event.code})` });
  }
  if (quote) spans.push({ start: quote.start, end: quote.end, cls: "hit" });
  const box = $("article-text");
  box.replaceChildren(annotate(article.text, spans));
  $("article-entities").replaceChildren(...article.entities.map((e) =>
    el("li", {}, `${actorText(e.name, e.actor)} — ${e.type}, ${e.mentions.length} mention(s)${e.labels && e.labels.length ? `; labelled ${e.labels.join(", ")}` : ""}`)));
  $("article-quotes").replaceChildren(...article.quotes.map((q) =>
    el("li", {}, `${q.speaker_name || "unknown"}: ${/^["“‘'”]/.test(q.text) ? q.text : `“${q.text}”`}`)));
  // Scroll the article box (not the page) to the highlight.
  const first = box.querySelector("mark");
  box.scrollTop = first ? Math.max(0, first.offsetTop - box.clientHeight / 3) : 0;
  box.focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------
// Actors

let actorsLoaded = null;

function loadActors() {
  actorsLoaded ??= filterActors();
  return actorsLoaded;
}

async function filterActors() {
  const q = $("actor-filter").value.trim();
  const params = new URLSearchParams({ limit: 200 });
  if (q) params.set("q", q);
  const entries = await getJSON(`/api/actor-entries?${params}`);
  const list = $("actor-list");
  list.replaceChildren(...entries.map((entry) => {
    const codes = [...new Set(entry.codes.map((c) => c.code))].join(", ");
    const button = el("button", { type: "button", class: "actor", "aria-pressed": "false", "data-actor": entry.actor_id },
      el("span", { class: "what" }, entry.name),
      el("span", { class: "muted small" }, ` ${entry.type.toLowerCase()}${codes ? ` · ${codes}` : ""} · ${entry.mentions} mention(s) in ${entry.articles} article(s)`));
    button.addEventListener("click", () => {
      press(list, button);
      showActor(entry.actor_id).catch(showError);
    });
    return el("li", {}, button);
  }));
  if (!entries.length) list.append(el("li", { class: "muted" }, "No actor matches."));
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
  const dated = codes.filter((c) => c.first && c.last).map((c) => ({ ...c, from: asDate(c.first), to: asDate(c.last) }));
  if (!dated.length || !Plot) return el("span");
  return Plot.plot({
    height: 40 + 28 * new Set(dated.map((c) => c.code)).size, marginLeft: 80, width: 560,
    ariaLabel: "Codes over time",
    ariaDescription: dated.map((c) => `${c.code} from ${c.first} to ${c.last}`).join("; "),
    x: { type: "utc", label: null, nice: true },
    y: { label: null },
    marks: [
      Plot.ruleY(dated, { y: "code", x1: "from", x2: "to", stroke: "#3b6fb6", strokeWidth: 6, strokeLinecap: "round" }),
      Plot.dot(dated, { y: "code", x: "from", fill: "#3b6fb6", r: 5, title: (c) => `${c.code}: ${c.first} – ${c.last}, ${c.n} article mention(s)` }),
      Plot.dot(dated, { y: "code", x: "to", fill: "#3b6fb6", r: 5 }),
    ],
  });
}

async function showActor(actorId) {
  const profile = await getJSON(`/api/actors/${encodeURIComponent(actorId)}`);
  const entry = profile.actors.find((a) => a.actor_id === actorId) || profile.actors[0];
  const box = $("actor-detail");
  box.replaceChildren();
  if (!entry) { box.append(el("p", { class: "muted" }, "Nothing stored for this actor.")); return; }
  box.append(
    el("h2", { id: "actor-name" }, entry.name),
    el("p", { class: "muted" }, `${entry.type} · ${entry.mentions} mention(s) in ${entry.articles} article(s) · id ${entry.actor_id}`),
    el("h3", {}, "Aliases"),
    entry.aliases.length ? chips(entry.aliases.map((a) => [a.value, a.n])) : el("p", { class: "muted" }, "none"),
    el("h3", {}, "Codes over time"),
  );
  if (entry.codes.length) {
    box.append(codesChart(entry.codes), table(["code", "first seen", "last seen", "articles"],
      entry.codes.map((c) => [c.code, c.first || "undated", c.last || "undated", String(c.n)]), "codes"));
  } else {
    box.append(el("p", { class: "muted" }, "never coded"));
  }
  box.append(el("h3", {}, "Labels by outlet"));
  const byOutlet = new Map();
  for (const l of entry.labels) {
    if (!byOutlet.has(l.outlet)) byOutlet.set(l.outlet, []);
    byOutlet.get(l.outlet).push([l.label, l.n]);
  }
  box.append(byOutlet.size
    ? table(["outlet", "labels it uses"], [...byOutlet].map(([outlet, labels]) => [outlet, chips(labels, "chip label")]), "labels")
    : el("p", { class: "muted" }, "no outlet labelled this actor"));
  const events = profile.events_as_source + profile.events_as_target;
  box.append(el("h3", {}, "Events"));
  if (!events) { box.append(el("p", { class: "muted" }, "none")); return; }
  box.append(
    el("p", {}, `${profile.events_as_source} as source, ${profile.events_as_target} as target`,
       profile.first_date ? `, ${profile.first_date} – ${profile.last_date}` : "",
       profile.goldstein_mean !== null ? `; mean Goldstein ${signed(profile.goldstein_mean)}` : ""),
    chips(profile.quad_counts.map((n, q) => [QUAD_NAMES[q], n]).filter(([, n]) => n), "chip quad"),
    el("p", { class: "small" }, "Most frequent partners: ", profile.top_partners.map((p) => `${p.value} (${p.n})`).join(", ") || "none"),
  );
}

// ---------------------------------------------------------------------------
// Quotes

let speakersLoaded = null;

function loadQuotes() {
  speakersLoaded ??= (async () => {
    const speakers = await getJSON("/api/quotes/speakers?limit=500");
    $("speaker").append(...speakers.map((s) => el("option", { value: s.name }, `${actorText(s.name, s.actor)} — ${s.quotes}`)));
    await refreshQuotes();
  })();
  return speakersLoaded;
}

async function refreshQuotes() {
  const speaker = $("speaker").value;
  const params = new URLSearchParams({ limit: 500 });
  if (speaker) params.set("speaker", speaker);
  const quotes = await getJSON(`/api/quotes?${params}`);
  const list = $("quote-list");
  $("quote-count").textContent = `(${quotes.length})`;
  list.replaceChildren(...quotes.map((q) => {
    const button = el("button", { type: "button", class: `quote-item ${q.kind}`, "aria-pressed": "false",
                                  "data-doc": q.doc_id, "data-start": q.start, "data-end": q.end },
      el("span", { class: "who" }, actorText(q.speaker_name || "unknown speaker", q.speaker_actor)),
      el("span", { class: "muted small" }, ` ${q.cue || q.kind} · ${q.kind} · ${q.published || "undated"}`),
      el("q", { class: "said" }, q.text.replace(/^["“”‘'„]+|["“”’'„]+$/g, "")));
    button.addEventListener("click", () => {
      press(list, button);
      showArticle(q.doc_id, { quote: q }).catch(showError);
    });
    return el("li", {}, button);
  }));
}

// ---------------------------------------------------------------------------

async function start() {
  const [health, actors] = await Promise.all([getJSON("/healthz"), getJSON("/api/actors?limit=500")]);
  $("store-info").textContent = `${health.articles} article(s) in the store · eventwire ${health.version}`;
  const options = countries(actors);
  fillSelect($("actor-a"), options);
  fillSelect($("actor-b"), options);
  for (const id of ["actor-a", "actor-b", "all-modalities"]) $(id).addEventListener("change", () => refreshDyad().catch(showError));
  let typing;
  $("actor-filter").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { actorsLoaded = filterActors(); actorsLoaded.catch(showError); }, 200);
  });
  $("speaker").addEventListener("change", () => refreshQuotes().catch(showError));
  window.addEventListener("hashchange", () => showView(location.hash.slice(1)));
  showView(location.hash.slice(1));
  document.body.dataset.ready = "true";
}

start().catch(showError);
