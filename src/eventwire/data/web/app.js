// eventwire analyst page: hand-written for this project (plain ES module, no build step).
// Two actors -> their monthly Goldstein chart and events; an event -> its
// article with the evidence and trigger highlighted from the stored offsets.

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const QUADS = ["1", "2", "3", "4"];

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

// Every month from the first to the last, so gaps show as gaps.
function monthRange(first, last) {
  const months = [];
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) { m = 1; y++; }
  }
  return months;
}

// Bars: events per month stacked by quad class; dots: the month's Goldstein
// sum (its own scale, zero at the dashed middle line).
function drawChart(timeline) {
  const box = $("chart");
  box.replaceChildren();
  if (!timeline.series.length) {
    box.append(el("p", { class: "muted" }, "No events dated to a day between these actors."));
    return;
  }
  const byMonth = new Map(timeline.series.map((s) => [s.period.slice(0, 7), s]));
  const months = monthRange(timeline.series[0].period.slice(0, 7), timeline.series.at(-1).period.slice(0, 7));
  const most = Math.max(...timeline.series.map((s) => s.events));
  const swing = Math.max(1, ...timeline.series.map((s) => Math.abs(s.goldstein_sum)));
  const width = 1000, height = 170, left = 40, right = 40, pad = 16, bottomPad = 20;
  const plot = height - pad - bottomPad;
  const yCount = (n) => height - bottomPad - (n / most) * plot;
  const yGold = (g) => pad + plot / 2 - (g / swing) * (plot / 2);
  const step = (width - left - right) / months.length;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const summary = timeline.series.map((s) => `${s.period.slice(0, 7)}: ${s.events} events, Goldstein sum ${s.goldstein_sum}`).join("; ");
  svg.setAttribute("aria-label", `Events by month between ${timeline.a} and ${timeline.b}. ${summary}`);
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  add("line", { class: "axis", x1: left, x2: width - right, y1: height - bottomPad, y2: height - bottomPad });
  add("line", { class: "zero", x1: left, x2: width - right, y1: yGold(0), y2: yGold(0) });
  add("text", { x: 2, y: pad + 4 }, `${most} ev.`);
  add("text", { x: width - right + 4, y: pad + 4 }, `+${swing.toFixed(1)}`);
  add("text", { x: width - right + 4, y: height - bottomPad }, `−${swing.toFixed(1)}`);
  const labelEvery = Math.ceil(months.length / 12);
  const points = [];
  months.forEach((month, i) => {
    const x = left + i * step;
    const bucket = byMonth.get(month);
    if (bucket) {
      let stacked = 0;
      bucket.quad_counts.forEach((n, q) => {
        if (!n) return;
        const rect = add("rect", { class: `bar q${q + 1}`, x: x + step * 0.1, width: Math.max(step * 0.8, 1),
                                   y: yCount(stacked + n), height: yCount(stacked) - yCount(stacked + n) });
        const title = document.createElementNS(SVG, "title");
        title.textContent = `${month}: ${n} event(s) of quad class ${q + 1}`;
        rect.append(title);
        stacked += n;
      });
      points.push([x + step / 2, yGold(bucket.goldstein_sum), `${month}: Goldstein sum ${bucket.goldstein_sum}`]);
    }
    if (i % labelEvery === 0) add("text", { x: x + step / 2, y: height - 4, "text-anchor": "middle" }, month);
  });
  for (const [x, y, text] of points) {
    const dot = add("circle", { class: "goldstein", cx: x, cy: y, r: 4 });
    const title = document.createElementNS(SVG, "title");
    title.textContent = text;
    dot.append(title);
  }
  box.append(svg);
}

function actorText(name, code) {
  if (!name && !code) return "?";
  return code ? `${name || code} [${code}]` : name;
}

function drawEvents(timeline) {
  const list = $("event-list");
  list.replaceChildren();
  $("event-count").textContent = `(${timeline.events.length}, Goldstein sum ${timeline.goldstein_sum})`;
  for (const ev of timeline.events) {
    const sign = ev.goldstein > 0 ? "+" : "";
    const button = el("button", { type: "button", class: `event q${ev.quad_class}`, "aria-pressed": "false",
                                  "data-doc": ev.doc_id, "data-event": ev.event_id },
      el("span", { class: "when" }, `${ev.date || "undated"} · `),
      el("span", { class: "what" }, `${actorText(ev.source_name, ev.source_actor)} → ${actorText(ev.target_name, ev.target_actor)}: ${ev.label} (${ev.code}, ${sign}${ev.goldstein})`),
      el("span", { class: "ev" }, ev.modality === "asserted" ? ev.evidence : `[${ev.modality}] ${ev.evidence}`));
    button.addEventListener("click", () => {
      for (const other of list.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-pressed", "true");
      showArticle(ev.doc_id, ev.event_id).catch(showError);
    });
    list.append(el("li", {}, button));
  }
}

// Split the text at every span boundary; each piece carries the classes of
// the spans covering it. Evidence pieces become <mark>s.
function annotate(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = text.slice(from, to);
    const classes = [...new Set(spans.filter((s) => s.start <= from && to <= s.end).map((s) => s.cls))];
    if (!classes.length) { fragment.append(piece); continue; }
    const tag = classes.includes("evidence") ? "mark" : "span";
    const node = el(tag, { class: classes.join(" ") }, piece);
    const title = spans.find((s) => s.start <= from && to <= s.end && s.title);
    if (title) node.title = title.title;
    fragment.append(node);
  }
  return fragment;
}

async function showArticle(docId, eventId) {
  const article = await getJSON(`/api/articles/${encodeURIComponent(docId)}`);
  const event = article.events.find((e) => e.id === eventId);
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
  const box = $("article-text");
  box.replaceChildren(annotate(article.text, spans));
  $("article-entities").replaceChildren(...article.entities.map((e) =>
    el("li", {}, `${actorText(e.name, e.actor)} — ${e.type}, ${e.mentions.length} mention(s)${e.labels && e.labels.length ? `; labelled ${e.labels.join(", ")}` : ""}`)));
  $("article-quotes").replaceChildren(...article.quotes.map((q) =>
    el("li", {}, `${q.speaker_name || "unknown"}: ${/^["“‘']/.test(q.text) ? q.text : `“${q.text}”`}`)));
  // Scroll the article box (not the page) to the evidence.
  const first = box.querySelector("mark.evidence");
  box.scrollTop = first ? Math.max(0, first.offsetTop - box.clientHeight / 3) : 0;
  box.focus({ preventScroll: true });
}

function showError(err) {
  $("store-info").textContent = `Error: ${err.message}`;
}

async function refresh() {
  const a = $("actor-a").value, b = $("actor-b").value;
  if (!a || !b) return;
  const params = new URLSearchParams({ a, b, all_modalities: $("all-modalities").checked });
  const timeline = await getJSON(`/api/timeline?${params}`);
  drawChart(timeline);
  drawEvents(timeline);
}

async function start() {
  const [health, actors] = await Promise.all([getJSON("/healthz"), getJSON("/api/actors?limit=500")]);
  $("store-info").textContent = `${health.articles} article(s) in the store · eventwire ${health.version}`;
  const options = countries(actors);
  fillSelect($("actor-a"), options);
  fillSelect($("actor-b"), options);
  for (const id of ["actor-a", "actor-b", "all-modalities"]) $(id).addEventListener("change", () => refresh().catch(showError));
  document.body.dataset.ready = "true";
}

start().catch(showError);
