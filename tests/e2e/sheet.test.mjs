// The printable summary in the browser: reached from the export page, styled without breaking
// the page's Content-Security-Policy, and printing to a PDF of several pages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve, newPage, shot } from "./harness.mjs";

test("the export page links the printable summary, which prints to several PDF pages", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}export`);
  await Promise.all([page.waitForURL(/\/sheet$/), page.click("#sheet-link")]);
  assert.match(await page.textContent("h1"), /exam summary/);
  const sections = await page.$$eval("section.part h2", (hs) => hs.map((h) => h.textContent));
  assert.equal(sections.length, 6, sections.join(" | "));
  assert.ok(sections[0].startsWith("Section 1: "));
  for (const part of ["Your weak topics", "Key decisions", "Renames and retirements", "Formulas"]) {
    const n = await page.$$eval("h3", (hs, p) => hs.filter((h) => h.textContent === p).length, part);
    assert.equal(n, 6, part);
  }
  assert.match(await page.textContent("section.part .verdict"), /No evidence yet/);
  // The linked stylesheet applied (a rule of its own), and no CSP violation was logged.
  const border = await page.$eval("h2", (h) => getComputedStyle(h).borderBottomStyle);
  assert.equal(border, "solid");
  await shot(page, "sheet-screen");

  await page.emulateMedia({ media: "print" });
  const breaks = await page.$$eval("section.part", (ss) => ss.map((s) => getComputedStyle(s).breakBefore));
  assert.deepEqual(breaks, ["auto", "page", "page", "page", "page", "page"], "a page per section");
  assert.equal(await page.$eval(".screen-only", (e) => getComputedStyle(e).display), "none");
  const pdf = await page.pdf({ format: "A4", printBackground: false });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages > 6, `the summary prints to ${pages} pages`);
  assert.deepEqual(page.errors, []);

  // The download is the self-contained file.
  const res = await page.request.get(`${url}sheet/download`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()["content-disposition"], /attachment; filename="pmle-summary.html"/);
  const body = await res.text();
  assert.ok(body.includes("<style>") && !body.includes("<link"), "stylesheet inline");
});
