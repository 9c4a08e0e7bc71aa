// Browser tests of /progress: the mock-exam history (SVG chart and its table equivalent)
// and the section trends, on a new database and on the fixture history
// (tests/fixtures/progress/backup.json, imported with `pmle import json` after moving every
// time so that the file's export instant is now).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT, BIN, SHOTS, serve, newPage, shot } from "./harness.mjs";

/** A fresh PMLE_HOME holding the fixture history, its times moved to now. */
function homeWithHistory() {
  const home = mkdtempSync(`${tmpdir()}/pmle-e2e-progress-`);
  const doc = JSON.parse(readFileSync(`${ROOT}tests/fixtures/progress/backup.json`, "utf8"));
  const shift = Date.now() - doc.exported_at_ms;
  const move = (v) => {
    if (Array.isArray(v)) return v.forEach(move);
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k.endsWith("_at_ms") && typeof x === "number") v[k] = x + shift;
        else move(x);
      }
    }
  };
  move(doc);
  const file = `${home}/history.json`;
  writeFileSync(file, JSON.stringify(doc));
  const r = spawnSync(BIN, ["import", "json", file], {
    env: { ...process.env, PMLE_HOME: home, PMLE_DB: "" }, encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Imported 352 answers/);
  return home;
}

test("a new database: no chart, a sentence that says how to start, trends without figures", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}progress`);
  assert.equal(await page.textContent("h1"), "Progress over time");
  assert.equal(await page.getAttribute("nav[aria-label=Main] a[href='/progress']", "aria-current"), "page");
  assert.match(await page.textContent("#history-note"), /take a mock exam to start your history/);
  assert.equal(await page.$$eval("#history-chart svg", (s) => s.length), 0);
  assert.equal(await page.$$eval("#history-table", (t) => t.length), 0);
  const rows = await page.$$eval("#trend-table tbody tr", (rs) => rs.map((r) => r.textContent));
  assert.equal(rows.length, 6);
  for (const r of rows) assert.match(r, /too little evidence \(0 questions\)/);
  assert.deepEqual(page.errors, []);
});

test("the fixture history: chart, table, predictions, trends and the 90-day window", async () => {
  const url = await serve([], homeWithHistory());
  const page = await newPage();
  // Reached from the dashboard.
  await page.goto(url);
  await page.click("#progress-link");
  assert.equal(new URL(page.url()).pathname, "/progress");

  // The chart: accessible name and description, one dot and band per exam, the target line.
  const svg = "#history-chart svg";
  assert.equal(await page.getAttribute(svg, "role"), "img");
  assert.equal(await page.textContent(`${svg} title#hc-t`), "Mock exam scores against their predictions");
  const desc = await page.textContent(`${svg} desc`);
  assert.match(desc, /5 mock exams from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, scoring from 50% to 78%/);
  assert.match(desc, /4 of 5 scores with a prediction landed inside it/);
  assert.match(desc, /Google publishes no pass mark/);
  assert.equal(await page.$$eval(`${svg} circle`, (c) => c.length), 5);
  assert.equal(await page.$$eval(`${svg} circle.below`, (c) => c.length), 1, "exam 2 scored below");
  assert.equal(await page.$$eval(`${svg} rect.band`, (c) => c.length), 5);
  assert.match(await page.textContent(svg), /your target 70%/);
  // Dots sit at their scores: y = 194 − share × 180.
  const ys = await page.$$eval(`${svg} circle`, (c) => c.map((x) => Number(x.getAttribute("cy"))));
  assert.deepEqual(ys, [0.5, 0.55, 8 / 12, 0.7, 47 / 60].map((s) => Math.round((194 - s * 180) * 10) / 10));

  // The table equivalent: oldest first, the abandoned exam 6 left out.
  const rows = await page.$$eval("#history-table tbody tr", (rs) =>
    rs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert.deepEqual(rows.map((r) => r[0]), ["1", "2", "3", "4", "5"]);
  assert.deepEqual(rows.map((r) => r[2]), ["section 1", "full", "retry", "full", "full"]);
  assert.equal(rows[1][3], "55% (33/60)");
  assert.equal(rows[1][4], "66% (56%–76%)");
  assert.equal(rows[1][5], "below");
  assert.deepEqual(rows.map((r) => r[5]), ["inside", "below", "inside", "inside", "inside"]);
  const bySection = await page.$$eval("#history-sections tbody tr", (rs) =>
    rs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert.equal(bySection.length, 5);
  assert.deepEqual(bySection[1], ["2 (full)", "6/10", "5/10", "6/10", "6/10", "6/10", "4/10"]);
  assert.deepEqual(bySection[0].slice(1), ["5/10", "–", "–", "–", "–", "–"], "a section-1 exam");
  // Nothing is cut off at 1280 px: every table fits its box.
  const overflow = await page.$$eval(".scroll", (ds) => ds.filter((d) => d.scrollWidth > d.clientWidth).length);
  assert.equal(overflow, 0);

  // Trends: every section measured then and now over 30 days.
  const trends = await page.$$eval("#trend-table tbody tr", (rs) =>
    rs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert.equal(trends.length, 6);
  for (const t of trends) {
    assert.match(t[1], /^\d+% \(\d+%–\d+%\)$/);
    assert.match(t[2], /^\d+% \(\d+%–\d+%\)$/);
    assert.match(t[3], /^(up|down|no clear change \((higher|lower) now\)|no clear change \(about the same\))$/);
    assert.match(t[4], /^\d+ answers, \d+% right \(\d+%–\d+%\)$/);
  }
  assert.deepEqual(page.errors, []);
  await page.screenshot({ path: `${SHOTS}/web-mock-history.png`, fullPage: true });
  if (process.env.PMLE_DOCS_SHOTS) copyFileSync(`${SHOTS}/web-mock-history.png`, `${ROOT}docs/screenshots/web-mock-history.png`);

  // 90 days: the first answer is 85 days old, so nothing was measured 90 days ago.
  await page.click("a[href='/progress?days=90#trends']");
  assert.match(await page.textContent("#trends"), /last 90 days/);
  assert.equal(await page.getAttribute("a[href='/progress?days=90#trends']", "aria-current"), "page");
  const t90 = await page.$$eval("#trend-table tbody tr td:first-of-type", (c) => c.map((x) => x.textContent));
  assert.deepEqual(t90, Array(6).fill("too little evidence (0 questions)"));

  // A row opens its exam report.
  await page.click("#history-table a[href='/exam/report/2']");
  assert.equal(await page.textContent("h1"), "Exam report");
  assert.deepEqual(page.errors, []);
  // Only the offered windows (the browser logs the 400 itself).
  const bad = await page.goto(`${url}progress?days=45`);
  assert.equal(bad.status(), 400);
  assert.match(await page.textContent("main"), /30 or 90 days/);
});

test("the history page on a phone: the chart scales and the table scrolls inside its box", async () => {
  const url = await serve([], homeWithHistory());
  const page = await newPage(390, 844);
  await page.goto(`${url}progress`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide`);
  const box = await page.$eval("#history-chart svg", (s) => s.getBoundingClientRect().width);
  assert.ok(box <= 390 && box > 300, `chart ${box}px`);
  await shot(page, "web-mock-history-phone");
  assert.deepEqual(page.errors, []);
});
