// Measures the laid-out HTML report the way a reader sees it, for tests/test_report_html_browser.py.
// Opens every <details>, then returns every text box (HTML text runs and SVG <text>) with what contains it,
// and the problems found: text overlapping other text, text clipped by its chart or its box, page overflow.
const TOLERANCE = 1.0; // px: anti-aliasing and sub-pixel rounding, not a visible overlap
const firstSvg = document.querySelector("svg");
const firstChart = firstSvg ? firstSvg.getBoundingClientRect().top + window.scrollY : null; // with details folded
document.querySelectorAll("details").forEach((d) => (d.open = true));

const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  if (!text || node.parentElement.closest("svg, style, title")) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  for (const r of range.getClientRects()) {
    if (r.width > 0 && r.height > 0) boxes.push({ kind: "html", text, r, svg: null });
  }
}
const charts = [...document.querySelectorAll("svg")];
charts.forEach((svg, index) => {
  const box = svg.viewBox.baseVal; // user units are px when there is no viewBox
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  for (const t of svg.querySelectorAll("text")) {
    const r = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize) * scale;
    const group = t.closest("g[id^=xtick_], g[id^=ytick_]");
    const tick = group ? group.id.split("_")[0] : null;
    boxes.push({ kind: "svg", text: t.textContent, r, svg: index, size, tick });
  }
});

const problems = [];
const sx = window.scrollX, sy = window.scrollY;
const rect = (r) => ({ left: r.left + sx, right: r.right + sx, top: r.top + sy, bottom: r.bottom + sy });
const all = boxes.map((b) => ({ ...b, a: rect(b.r) })).sort((p, q) => p.a.top - q.a.top);
for (let i = 0; i < all.length; i++) {
  for (let j = i + 1; j < all.length && all[j].a.top < all[i].a.bottom - TOLERANCE; j++) {
    const p = all[i].a, q = all[j].a;
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > TOLERANCE && h > TOLERANCE) problems.push(`overlap: "${all[i].text}" and "${all[j].text}"`);
  }
}
for (const b of boxes.filter((b) => b.kind === "svg")) {
  const s = charts[b.svg].getBoundingClientRect();
  const r = b.r;
  if (r.left < s.left - TOLERANCE || r.right > s.right + TOLERANCE || r.top < s.top - TOLERANCE || r.bottom > s.bottom + TOLERANCE)
    problems.push(`clipped by its chart: "${b.text}"`);
}
// Interval whiskers (LineCollection) and their caps (markers drawn as <use>) must not cross any text.
charts.forEach((svg, index) => {
  const lines = [...svg.querySelectorAll('g[id^="LineCollection"] path, g[id^="axes_"] > g[id^="line2d"] use')];
  const texts = boxes.filter((b) => b.kind === "svg" && b.svg === index);
  for (const line of lines) {
    const l = line.getBoundingClientRect();
    for (const t of texts) {
      const w = Math.min(l.right, t.r.right) - Math.max(l.left, t.r.left);
      const h = Math.min(l.bottom, t.r.bottom) - Math.max(l.top, t.r.top);
      if (w >= 0 && h >= 0 && (w > TOLERANCE || h > TOLERANCE)) problems.push(`line through text: "${t.text}" (${line.parentElement.id || line.parentElement.parentElement.id})`);
    }
  }
});
for (const el of document.querySelectorAll("td, th, li, p, h1, h2, h3, summary, div, figure")) {
  if (el.scrollWidth > el.clientWidth + TOLERANCE && getComputedStyle(el).display !== "inline")
    problems.push(`content wider than its box: <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 60)}"`);
}
if (document.documentElement.scrollWidth > window.innerWidth + TOLERANCE)
  problems.push(`page wider than the window: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);

return {
  problems,
  svgText: boxes.filter((b) => b.kind === "svg").map((b) => ({ text: b.text, size: b.size, tick: b.tick, svg: b.svg })),
  charts: charts.length,
  firstChart,
  height: document.documentElement.scrollHeight,
  text: document.body.innerText,
};
