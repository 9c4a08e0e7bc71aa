// Note tables at a laptop's 1280 px: no column is hidden behind the text column's edge.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve, newPage, shot } from "./harness.mjs";

test("the widest note table shows every column at 1280 px and on a phone", async () => {
  const url = await serve();
  for (const [width, height] of [[1280, 900], [360, 740]]) {
    const page = await newPage(width, height);
    await page.goto(`${url}notes/distributed-training`);
    const tables = await page.evaluate(() => [...document.querySelectorAll(".note-body table")].map((t) => {
      const r = t.getBoundingClientRect();
      return { scroll: t.scrollWidth, client: t.clientWidth, left: r.left, right: r.right, overflow: getComputedStyle(t).overflowX };
    }));
    assert.ok(tables.length >= 2, "the note has its tables");
    for (const t of tables) {
      // At 1280 px nothing is hidden inside the table's own box; on a phone a table may
      // scroll sideways inside its box (never the page). The box stays inside the window.
      if (width === 1280) assert.ok(t.scroll <= t.client, `a table hides ${t.scroll - t.client} px`);
      else assert.equal(t.overflow, "auto");
      assert.ok(t.left >= 0 && t.right <= width, `${width} px: a table spans ${t.left}..${t.right}`);
    }
    const page_width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(page_width <= width, `${width} px: the page scrolls sideways (${page_width})`);
    if (width === 1280) {
      // The strategy table's long names stay whole at this width.
      const name = await page.evaluate(() => {
        const c = [...document.querySelectorAll(".note-body td code")]
          .find((x) => x.textContent === "tf.distribute.MultiWorkerMirroredStrategy");
        return c.getClientRects().length;
      });
      assert.equal(name, 1, "tf.distribute.MultiWorkerMirroredStrategy is on one line");
      const wide = await page.$(".note-body table:nth-of-type(2)");
      await wide.scrollIntoViewIfNeeded();
      await shot(page, "note-wide-table-1280");
    }
    assert.deepEqual(page.errors, []);
  }
});
