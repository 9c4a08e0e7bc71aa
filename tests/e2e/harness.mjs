// Shared harness for the browser tests of `pmle serve` (Debian's Chromium, playwright-core).
// Every *.test.mjs file imports it.
//
// Each test starts its own server on a free loopback port with a fresh PMLE_HOME, so tests
// share nothing. Screenshots of every main page go to target/e2e-screenshots (CI keeps
// them as artefacts). Every page is also checked for console errors, which is where a
// Content-Security-Policy violation (an inline script or style) would show.
import { before, after } from "node:test";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const BIN = process.env.PMLE_BIN || `${ROOT}target/debug/pmle`;
export const SHOTS = process.env.PMLE_SHOTS || `${ROOT}target/e2e-screenshots`;
mkdirSync(SHOTS, { recursive: true });

let browser;
export const servers = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  for (const p of servers) p.kill();
});

/** Start `pmle [args] serve` on a free port; resolves to its URL (ending in `/`). */
export function serve(args = [], home = mkdtempSync(`${tmpdir()}/pmle-e2e-`), addr = "127.0.0.1:0") {
  const proc = spawn(BIN, [...args, "serve", "--addr", addr], {
    env: { ...process.env, PMLE_HOME: home, PMLE_DB: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  servers.push(proc);
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    proc.on("exit", (code) => reject(new Error(`pmle serve exited with ${code}: ${out}`)));
    serve.last = { proc, home };
    setTimeout(() => reject(new Error(`pmle serve printed no URL: ${out}`)), 30000);
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function newPage(width = 1280, height = 900, javaScriptEnabled = true) {
  const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

/** Wait until htmx and app.js have set the page up (keys before that would be lost). */
export const live = (page) => page.waitForSelector("html[data-js=ready]", { state: "attached" });

export async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Press Tab until the element with `id` has focus (keyboard-only navigation). */
export async function tabTo(page, id) {
  for (let i = 0; i < 250; i++) {
    if (await page.evaluate((x) => document.activeElement?.id === x, id)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`could not reach #${id} with Tab`);
}

/** How many options the legend asks for: "Choose one." or "Choose 2.". */
export function chooseCount(legend) {
  const m = legend.match(/Choose (\d+)/);
  return m ? Number(m[1]) : 1;
}

export function seconds(text) {
  return text.trim().split(":").map(Number).reduce((acc, x) => acc * 60 + x, 0);
}

export const heading = (page) => page.textContent("h1");
export const answeredCells = (page) => page.$$eval("button[value^='goto:']",
  (bs) => bs.filter((b) => b.getAttribute("aria-label").includes(", answered")).length);

/** A loopback port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The UTC date `days` from now, YYYY-MM-DD (the server counts days in UTC). */
export function utcDatePlus(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}
