// Issue 18 in the browser: keep a question after an answer (bookmark, report), find it in the
// review centre, and practise from there. The forms are plain POST forms, so the same flow
// runs with JavaScript off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve, newPage, shot, chooseCount } from "./harness.mjs";

const Q = "s4-features-concepts-006";

/** Tick as many options as the legend asks for and answer. */
async function answerShown(page) {
  const choose = chooseCount(await page.textContent("legend"));
  const inputs = await page.$$("#practice-form fieldset input");
  for (let k = 0; k < choose; k++) await inputs[k].check();
  await Promise.all([page.waitForNavigation(), page.click("#practice-form button[type=submit]")]);
  await page.waitForSelector("#next-question");
}

for (const js of [true, false]) {
  test(`bookmark and report after an answer, then review and practise them (JavaScript ${js ? "on" : "off"})`, async () => {
    const url = await serve();
    const page = await newPage(1280, 900, js);

    // Three answers: the first is bookmarked and reported, the second flagged with a note.
    await page.goto(`${url}practice?question=${Q}`);
    await answerShown(page);
    assert.ok(await page.isVisible("text=Keep this question"), "the keep forms follow every answer");
    await Promise.all([page.waitForNavigation(), page.click("#bookmark")]);
    assert.match(page.url(), new RegExp(`/review/q/${Q}\\?done=bookmark`));
    assert.ok(await page.isVisible("text=Bookmarked."));
    assert.equal((await page.textContent("#bookmark")).trim(), "Remove bookmark");
    await page.click(".keep-report summary");
    await page.selectOption("#report-reason", "outdated");
    await page.fill("#report-text", "The legacy name is used in option C.");
    await Promise.all([page.waitForNavigation(), page.click("#send-report")]);
    assert.ok(await page.isVisible("text=Report saved."));
    await Promise.all([page.waitForNavigation(), page.click("#next-question")]);

    await page.goto(`${url}practice`);
    await answerShown(page);
    await Promise.all([page.waitForNavigation(), page.click("#flag")]);
    await page.fill("#note-text", "Check the quota table before the exam.");
    await Promise.all([page.waitForNavigation(), page.click("#save-note")]);
    assert.ok(await page.isVisible("text=Note saved."));

    // The review centre lists both, with the last answer, the tags and the note.
    await page.goto(`${url}review`);
    const items = await page.$$eval("ol.review-list li", (li) => li.map((x) => x.textContent));
    assert.equal(items.length, 2, items.join("\n"));
    const first = items.find((t) => t.includes(Q));
    assert.ok(first && first.includes("bookmarked") && first.includes("reported: outdated"), first);
    assert.ok(items.some((t) => t.includes("flagged") && t.includes("Note: Check the quota table")), items.join("\n"));
    assert.ok(items.every((t) => /(Right|Wrong) on \d{4}-\d\d-\d\d/.test(t)), "the last answer is shown");
    // docs/screenshots/web-review-centre.png is a copy of this one, looked at before copying.
    if (js) await shot(page, "web-review-centre");

    await page.click("text=Bookmarked");
    await page.waitForURL(/filter=bookmarked/);
    const listed = await page.$$eval("ol.review-list li", (li) => li.length);
    assert.equal(listed, 1);
    await page.goto(`${url}review?filter=reported`);
    assert.ok((await page.textContent("ol.review-list")).includes(Q));

    // Practise the bookmarked ones: exactly that question, then the session is done.
    await page.goto(`${url}review?filter=bookmarked`);
    await Promise.all([page.waitForNavigation(), page.click("#practise-these")]);
    assert.equal(await page.inputValue("input[name=question]"), Q);
    assert.ok((await page.textContent("main")).includes("Filtered practice"));
    await answerShown(page);
    await Promise.all([page.waitForNavigation(), page.click("#next-question")]);
    assert.ok((await page.textContent("main")).includes("Every question that matches these filters was asked"));
    assert.deepEqual(page.errors, [], "no console errors");
  });
}
