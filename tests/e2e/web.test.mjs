// End-to-end tests of `pmle serve` in Debian's Chromium, driven by playwright-core.
// The set-up (a fresh server per test, pages that record console errors) is in harness.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT, serve, newPage, live, shot, tabTo, chooseCount, seconds, heading, answeredCells, freePort, utcDatePlus } from "./harness.mjs";

test("a full mock exam with the keyboard only, reloaded halfway", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}exam`);
  await shot(page, "exam-start");
  await tabTo(page, "start-exam");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#exam-form");
  await live(page);
  const total = Number((await heading(page)).match(/of (\d+)/)[1]);
  assert.equal(total, 60, "the default exam has 60 questions");
  const startLeft = seconds(await page.textContent("#timer"));
  assert.ok(startLeft > 119 * 60 && startLeft <= 120 * 60, `timer starts near 2:00:00, got ${startLeft}`);

  let flagged = 0;
  let multiple = 0;
  for (let i = 0; i < total; i++) {
    assert.match(await heading(page), new RegExp(`^Question ${i + 1} of ${total}`));
    const legend = await page.textContent("legend");
    const choose = chooseCount(legend);
    if (choose > 1) multiple++;
    const keys = i % 2 === 0 ? ["1", "2", "3"] : ["a", "b", "c"];
    for (let k = 0; k < choose; k++) await page.keyboard.press(keys[(k + i) % 3]);
    await page.waitForFunction(([n, c]) =>
      document.querySelectorAll("#exam-form input:checked").length === c &&
      document.querySelector(`button[value="goto:${n}"]`).getAttribute("aria-label").includes(", answered"),
    [i, choose]);
    if (i % 9 === 4) {
      const six = (await page.$$("#exam-form fieldset input")).length === 6;
      await page.keyboard.press(six ? "Shift+F" : "f");
      flagged++;
      await page.waitForFunction((n) =>
        document.querySelector(`button[value="goto:${n}"]`).getAttribute("aria-label").includes("flagged"), i);
    }
    if (i === 1) await shot(page, "exam-question");
    if (i === 30) {
      const before = seconds(await page.textContent("#timer"));
      await page.waitForTimeout(1200);
      await page.reload();
      await page.waitForSelector("#exam-form");
      await live(page);
      assert.match(await heading(page), /^Question 31 of 60/, "the reload stays on the question");
      assert.equal(await answeredCells(page), 31, "every answer survived the reload");
      assert.equal(await page.$$eval("#exam-form input:checked", (x) => x.length), choose);
      const after = seconds(await page.textContent("#timer"));
      assert.ok(after <= before && after >= before - 20,
        `the clock kept its time across the reload: ${before}s then ${after}s`);
    }
    if (i < total - 1) {
      await page.keyboard.press("n");
      await page.waitForFunction((n) =>
        document.querySelector("h1")?.textContent.startsWith(`Question ${n} `), i + 2);
    }
  }
  assert.equal(await answeredCells(page), total);
  assert.ok(multiple > 0, "the exam had multiple-select questions, answered in full");

  await tabTo(page, "review");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/exam\/review$/);
  const review = await page.textContent("main");
  assert.match(review, new RegExp(`You answered ${total} of ${total}`));
  assert.match(review, new RegExp(`Flagged \\(${flagged}\\)`));
  await shot(page, "exam-review");
  await tabTo(page, "submit-exam");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/exam\/report\/\d+$/);
  const report = await page.textContent("main");
  assert.match(report, new RegExp(`${total} answered · ${flagged} flagged`));
  assert.match(report, /of 60 right/);
  assert.equal(await page.$$eval("svg[aria-labelledby='tc-t tc-d'] rect", (r) => r.length), total,
    "a bar per question in the time chart");
  await shot(page, "exam-report");
  const reportUrl = page.url();
  await page.goto(`${reportUrl}?show=flagged`);
  assert.equal(await page.$$eval("article.review-item", (a) => a.length), flagged);
  await page.goto(`${reportUrl}?show=all`);
  assert.equal(await page.$$eval("article.review-item", (a) => a.length), total);
  assert.deepEqual(page.errors, []);
});

test("three flashcards reviewed with the keyboard", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}cards`);
  await live(page);
  const fronts = [];
  for (let k = 0; k < 3; k++) {
    fronts.push(await page.textContent(".front"));
    await page.keyboard.press(" ");
    await page.waitForSelector("#rate3");
    if (k === 0) await shot(page, "cards-revealed");
    await page.keyboard.press(String(k + 2));
    await page.waitForFunction((n) =>
      document.querySelector(".status")?.textContent.startsWith(n), ["Hard", "Good", "Easy"][k]);
    assert.match(await page.textContent(".status"), /comes back in \d+ (min|h|d)/);
  }
  assert.equal(new Set(fronts).size, 3, "three different cards");
  await shot(page, "cards");
  // The reviews were saved: the dashboard counts them from the database.
  await page.goto(`${url}`);
  assert.deepEqual(page.errors, []);
});

test("a former product name leads to its current catalog entry", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(url);
  await tabTo(page, "q");
  await page.keyboard.type("AutoML Tables");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=/);
  await shot(page, "search");
  const first = page.locator(".hits a").first();
  assert.equal(await first.textContent(), "Agent Platform AutoML");
  await first.click();
  await page.waitForURL(/\/catalog#/);
  const row = await page.textContent("tr:target");
  assert.match(row, /Agent Platform AutoML/);
  assert.match(row, /AutoML/);
  await shot(page, "catalog");
  assert.deepEqual(page.errors, []);
});

test("a question found by search opens unanswered, then answers", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(url);
  await tabTo(page, "q");
  await page.keyboard.type("mental model legacy habits");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=/);
  const hits = page.locator(".hits li");
  const question = hits.filter({ hasText: "A logistics company" }).locator("a");
  assert.equal(await question.count(), 1);
  await question.click();
  await page.waitForURL(/\/practice\?question=s4-features-concepts-006/);
  await page.waitForSelector("#practice-form");
  await live(page);
  await shot(page, "search-question-open");
  const main = await page.textContent("main");
  assert.match(main, /A logistics company is moving engineers/);
  // Asked, not answered: no feedback, no explanation, no key on the page.
  assert.equal(await page.$(".explained"), null);
  assert.doesNotMatch(main, /Correct|Not quite|Entity types and ingestion jobs belong/);
  assert.equal(await page.locator("#practice-form input[type=checkbox]").count(), 5);
  const choose = chooseCount(await page.textContent("legend"));
  assert.equal(choose, 2);
  for (const key of ["1", "2"]) await page.keyboard.press(key);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".explained");
  assert.match(await page.textContent("main"), /\(your choice\)/);
  assert.deepEqual(page.errors, []);
});

test("search labels only the legacy Feature Store deprecated, and a card opens", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}search?q=feature+store`);
  const item = (id) => page.locator(".hits li", { has: page.locator(`a[href="/catalog#${id}"]`) });
  assert.doesNotMatch(await item("agent-platform-feature-store").textContent(), /deprecated 20|Legacy\), deprecated/);
  assert.match(await item("feature-store-legacy").textContent(), /deprecated 2026-05-17/);
  const card = page.locator(".hits a[href^='/cards/']").first();
  await card.click();
  await page.waitForURL(/\/cards\/card-/);
  assert.equal(await page.$("#card-back"), null);
  await page.click("#reveal");
  await page.waitForSelector("#card-back");
  assert.deepEqual(page.errors, []);
});

test("a note with a script tag renders inert", async () => {
  const url = await serve(["--pack", `${ROOT}tests/fixtures/hostile`]);
  const page = await newPage();
  await page.goto(`${url}notes/bigquery-ml`);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.match(await page.textContent("main"), /A hostile note/);
  const link = await page.$("main a[href^='javascript']");
  assert.equal(link, null);
});

test("every main page renders, at desktop and phone width, without errors", async () => {
  const url = await serve();
  const page = await newPage();
  // Some activity first, so the dashboard charts have something to draw.
  await page.goto(`${url}practice`);
  await live(page);
  await shot(page, "practice");
  const legend = await page.textContent("legend");
  const choose = chooseCount(legend);
  for (const key of ["1", "b", "3"].slice(0, choose)) await page.keyboard.press(key);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".explained");
  assert.match(await page.textContent("main"), /\(your choice\)/);
  await shot(page, "practice-feedback");
  await live(page);
  await page.keyboard.press("n");
  await page.waitForSelector("#practice-form");
  // The focus chooser narrows practice to one section, and the page says which.
  await page.selectOption("#focus-section", "s3");
  await page.click("form.focus button");
  await page.waitForURL(/\/practice\?section=s3$/);
  assert.match(await page.textContent("main p.muted"), /^Scaling prototypes into ML models ·/);
  assert.equal(await page.inputValue("#focus-section"), "s3");
  const pages = {
    dashboard: "", notes: "notes", note: "notes/distributed-training", settings: "settings",
    labs: "labs", tools: "tools", export: "export", "tool-product": "tools/product",
    "tool-strategy": "tools/strategy?nodes=2&devices=4&params=each-device", "tool-metrics": "tools/metrics",
  };
  for (const [name, path] of Object.entries(pages)) {
    const res = await page.goto(`${url}${path}`);
    assert.equal(res.status(), 200, path);
    await shot(page, name);
  }
  const lab = await page.goto(`${url}labs`).then(() => page.getAttribute("main a[href^='/labs/']", "href"));
  await page.goto(`${url}${lab.slice(1)}`);
  assert.ok(await page.$("main svg"), "a lab draws a chart");
  await shot(page, "lab");
  assert.deepEqual(page.errors, []);

  const phone = await newPage(360, 740);
  for (const path of ["", "practice", "exam", "cards", "catalog", "notes/distributed-training"]) {
    await phone.goto(`${url}${path}`);
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `/${path} fits 360 px (scroll width ${wide})`);
  }
  await phone.goto(url);
  // The dashboard's section table fits too, with no sideways scrolling inside its box, and
  // the chart labels stay at least 10 px tall on screen.
  const table = await phone.evaluate(() => {
    const box = document.querySelector("#sections ~ .scroll");
    return { scroll: box.scrollWidth, client: box.clientWidth };
  });
  assert.ok(table.scroll <= table.client, `the section table fits (${table.scroll} > ${table.client})`);
  const label = await phone.evaluate(() =>
    Math.min(...[...document.querySelectorAll("svg.wide-chart text")].map((t) => t.getBoundingClientRect().height)));
  assert.ok(label >= 10, `chart labels are readable at 360 px (${label.toFixed(1)} px)`);
  await shot(phone, "dashboard-phone");
  assert.deepEqual(phone.errors, []);
});

test("the dark theme setting applies to every page", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}settings`);
  await page.selectOption("#theme", "dark");
  await page.click("form button[type=submit]");
  await page.waitForSelector("[role=status]");
  await page.goto(url);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(13, 17, 23)");
  await shot(page, "dashboard-dark");
  assert.deepEqual(page.errors, []);
});

test("the countdown submits the exam at zero, in the browser", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}settings`);
  await page.fill("#exam_questions", "3");
  await page.fill("#exam_minutes", "1");
  await page.click("form button[type=submit]");
  await page.waitForSelector("[role=status]");
  assert.match(await page.textContent("[role=status]"), /Saved/);
  await page.goto(`${url}exam`);
  await page.click("#start-exam");
  await page.waitForSelector("#exam-form");
  await live(page);
  // Screen readers are told once that the last minute has begun.
  assert.equal(await page.textContent("#time-alert"), "1 minute left.");
  await page.keyboard.press("1");
  await page.waitForFunction(() =>
    document.querySelector("button[value='goto:0']").getAttribute("aria-label").includes(", answered"));
  // Nobody touches anything: at 0:00 the page posts the submit form by itself.
  await page.waitForURL(/\/exam\/report\/\d+$/, { timeout: 75000 });
  const report = await page.textContent("main");
  assert.match(report, /submitted when the time ran out/);
  assert.match(report, /1 answered/);
  assert.deepEqual(page.errors, []);
});

test("with no exam page open the web exam clock stops", async () => {
  const url = await serve();
  let page = await newPage();
  await page.goto(`${url}exam`);
  assert.match(await page.textContent("main"), /counts while an exam page is open/);
  await page.click("#start-exam");
  await page.waitForSelector("#exam-form");
  await live(page);
  const opened = seconds(await page.textContent("#timer"));
  // The tab is closed: no page, no heartbeat, for longer than the 30 s gap the server
  // counts at most (and longer than one heartbeat interval on top).
  await page.context().close();
  const away = 45;
  await new Promise((r) => setTimeout(r, away * 1000));
  page = await newPage();
  await page.goto(`${url}exam`);
  await page.waitForSelector("#exam-form");
  const back = seconds(await page.textContent("#timer"));
  const used = opened - back;
  // A strict clock would have counted all 45 s; the page clock counts at most the 30 s gap
  // plus the moments the page was open (a few seconds of margin for a slow machine).
  assert.ok(used >= 0 && used <= 36, `clock advanced ${used}s while no page was open for ${away}s`);
  assert.ok(used < away, `the clock did not run all ${away}s`);
  assert.deepEqual(page.errors, []);
});

test("an exam is abandoned only after a confirmation, and stays out of the history", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(`${url}exam`);
  await page.click("#start-exam");
  await page.waitForSelector("#exam-form");
  await live(page);
  await page.keyboard.press("1");
  await page.waitForFunction(() =>
    document.querySelector("button[value='goto:0']").getAttribute("aria-label").includes(", answered"));
  await page.click("#review");
  await page.waitForURL(/\/exam\/review$/);
  await page.click("#abandon-link");
  await page.waitForURL(/\/exam\/abandon$/);
  assert.match(await heading(page), /^Abandon exam \d+\?/);
  assert.match(await page.textContent("main"), /never scored/);
  await shot(page, "exam-abandon");
  // Going back keeps the exam running, with its answer.
  await page.click("#keep-exam");
  await page.waitForSelector("#exam-form");
  assert.equal(await answeredCells(page), 1);
  await page.goto(`${url}exam/abandon`);
  await page.click("#abandon-exam");
  await page.waitForURL(/\/exam\?abandoned=\d+$/);
  assert.match(await page.textContent("#exam-notice"), /was abandoned/);
  assert.ok(await page.$("#start-exam"), "a new exam can start");
  assert.equal(await page.$$eval("a[href^='/exam/report/']", (a) => a.length), 0,
    "no past exam listed");
  await page.goto(url);
  assert.doesNotMatch(await page.textContent("main"), /Finish your mock exam/);
  assert.deepEqual(page.errors, []);
});


test("a restarted server loses no exam answer and the page recovers", async () => {
  const addr = `127.0.0.1:${await freePort()}`;
  const url = await serve([], undefined, addr);
  const { proc, home } = serve.last;
  const page = await newPage();
  await page.goto(`${url}exam`);
  await page.click("#start-exam");
  await page.waitForSelector("#exam-form");
  await live(page);
  await page.keyboard.press("1");
  await page.waitForFunction(() =>
    document.querySelector("button[value='goto:0']").getAttribute("aria-label").includes(", answered"));
  proc.kill("SIGKILL");
  await new Promise((r) => proc.on("exit", r));
  await page.keyboard.press("n");
  await page.waitForSelector("#offline");
  assert.match(await page.textContent("#offline"), /not answering/);
  // Same database, same port, a new process (with a new CSRF secret).
  await serve([], home, addr);
  await page.keyboard.press("n");
  await page.waitForSelector("#offline", { state: "detached" });
  await live(page);
  assert.match(await heading(page), /^Question 1 of 60/, "the exam resumed where it was");
  assert.equal(await answeredCells(page), 1, "the answer given before the kill is there");
  await page.keyboard.press("n");
  await page.waitForFunction(() => document.querySelector("h1").textContent.startsWith("Question 2 "));
  // The old form was refused (its CSRF token died with the old process); that is the path
  // under test. Those refusals and the connection errors are the only console errors allowed.
  assert.ok(page.errors.some((e) => /Error Code 403 from \/exam\/act/.test(e)), page.errors.join("\n"));
  page.errors = page.errors.filter((e) =>
    !/Failed to load resource|ERR_CONNECTION_REFUSED|htmx:(afterRequest|sendError)|Error Code 403 from \/exam\/act/.test(e));
  assert.deepEqual(page.errors, []);
});

test("every study flow works with JavaScript turned off", async () => {
  const url = await serve();
  const page = await newPage(1280, 900, false);
  // Mock exam: plain forms and redirects.
  await page.goto(`${url}exam`);
  await page.click("#start-exam");
  await page.waitForSelector("#exam-form");
  const boxes = await page.$$("#exam-form fieldset input");
  const legend = await page.textContent("legend");
  const choose = chooseCount(legend);
  for (const b of boxes.slice(0, choose)) await b.check();
  await page.click("#next");
  await page.waitForURL(/\/exam$/);
  assert.match(await heading(page), /^Question 2 of 60/);
  assert.equal(await answeredCells(page), 1);
  await page.click("#review");
  await page.waitForURL(/\/exam\/review$/);
  await page.click("#submit-exam");
  await page.waitForURL(/\/exam\/report\/\d+$/);
  assert.match(await page.textContent("main"), /1 answered/);
  // Flashcards: reveal is a link, rating a form.
  await page.goto(`${url}cards`);
  await page.click("#reveal");
  await page.click("#rate3");
  await page.waitForSelector(".status");
  assert.match(await page.textContent(".status"), /^Good: that card comes back in/);
  // Practice.
  await page.goto(`${url}practice`);
  const opts = await page.$$("#practice-form fieldset input");
  const l2 = await page.textContent("legend");
  const n = chooseCount(l2);
  for (const o of opts.slice(0, n)) await o.check();
  await page.click("#practice-form button[type=submit]");
  await page.waitForSelector(".explained");
  assert.deepEqual(page.errors, []);
});


test("the exam date set on the settings page gives the dashboard its days left and plan", async () => {
  const url = await serve();
  const page = await newPage();
  await page.goto(url);
  assert.match(await page.textContent("#exam-plan"), /No exam date set/);
  assert.equal(await page.$("#days-left"), null);
  await page.click("a[href='/settings#exam-date-form']");
  await page.waitForURL(/\/settings/);
  // A past date is refused with what to do, and nothing is saved.
  await page.fill("#exam_date", "2001-01-01");
  await page.click("#exam-date-form button[value=save]");
  await page.waitForSelector("p[role=status]");
  assert.match(await page.textContent("p[role=status]"), /not saved: .*is in the past.*reset exam_date/);
  const date = utcDatePlus(30);
  await page.fill("#exam_date", date);
  await page.click("#exam-date-form button[value=save]");
  await page.waitForSelector("p[role=status]");
  assert.match(await page.textContent("p[role=status]"), new RegExp(`Exam date saved: ${date}`));
  assert.equal(await page.inputValue("#exam_date"), date);
  await page.goto(url);
  assert.equal((await page.textContent("#days-left")).trim(), `30 days left: exam on ${date}`);
  const plan = await page.textContent("#exam-plan");
  assert.match(plan, /Questions: 3 a day over 30 days/);
  assert.match(plan, /Next full mock exam: today/);
  await shot(page, "web-dashboard-exam-date");
  // Cleared again from the settings page.
  await page.goto(`${url}settings`);
  await page.click("#exam-date-form button[value=clear]");
  await page.waitForSelector("p[role=status]");
  assert.match(await page.textContent("p[role=status]"), /Exam date cleared/);
  await page.goto(url);
  assert.match(await page.textContent("#exam-plan"), /No exam date set/);
  assert.deepEqual(page.errors, []);
});
