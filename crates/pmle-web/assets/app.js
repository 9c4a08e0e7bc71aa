// pmle's only script: keyboard shortcuts for the mock exam and the flashcards, the exam
// countdown and the exam page's heartbeat. Every page works without it; the server's clock
// is the one that counts.
"use strict";
(function () {
  var LETTERS = "abcdef";
  var queue = [];
  var busy = false;

  function typing(t) {
    return t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
      (t.tagName === "INPUT" && /^(text|search|number|email|password)$/.test(t.type)));
  }

  function click(id) {
    var b = document.getElementById(id);
    if (b && !b.disabled) { b.click(); return true; }
    return false;
  }

  // One exam key; returns true when it started a request (the next key waits for it).
  function examKey(k) {
    var form = document.getElementById("exam-form");
    if (!form) return false;
    if (k === "flag") return click("flag");
    var n = "123456".indexOf(k);
    if (n < 0) n = LETTERS.indexOf(k);
    // F picks option F only where there is one; otherwise it flags (Shift+F always flags).
    if (k === "f" && !document.getElementById("opt5")) return click("flag");
    if (n >= 0) {
      var input = document.getElementById("opt" + n);
      if (!input) return false;
      input.checked = input.type === "radio" ? true : !input.checked;
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }
    if (k === "n") return click("next");
    if (k === "p") return click("prev");
    return false;
  }

  function cardKey(k) {
    var reveal = document.getElementById("reveal");
    if (reveal && (k === " " || k === "enter")) { reveal.click(); return true; }
    if ("1234".indexOf(k) >= 0) return click("rate" + k);
    return false;
  }

  // Practice: keys choose, Enter answers; on the feedback page N or Enter goes on.
  function practiceKey(k) {
    var form = document.getElementById("practice-form");
    if (form) {
      var n = "123456".indexOf(k);
      if (n < 0) n = LETTERS.indexOf(k);
      var input = n >= 0 ? document.getElementById("pick" + n) : null;
      if (input) { input.checked = input.type === "radio" ? true : !input.checked; input.focus(); }
      else if (k === "enter") form.requestSubmit();
      return false;
    }
    if (k === "n" || k === "enter") click("next-question");
    return false;
  }

  function pump() {
    while (!busy && queue.length) {
      var k = queue.shift();
      busy = examKey(k) || cardKey(k) || practiceKey(k);
    }
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var k = e.key.toLowerCase();
    if (k === "f" && e.shiftKey) k = "flag";
    var relevant = document.getElementById("exam-form") ? /^([1-6a-fnp]|flag)$/.test(k)
      : document.querySelector(".card") ? /^([1-4 ]|enter)$/.test(k)
      : document.getElementById("practice-form") ? /^([1-6a-f]|enter)$/.test(k)
      : document.getElementById("next-question") ? /^(n|enter)$/.test(k) : false;
    // Enter on a link or button already does what it says.
    if (k === "enter" && e.target && /^(A|BUTTON)$/.test(e.target.tagName)) return;
    if (!relevant) return;
    if (k === " " || k === "enter") {
      if (!document.getElementById("reveal")) return;
    }
    e.preventDefault();
    queue.push(k);
    pump();
  });

  // htmx tells us when a swap is done; a plain navigation reloads the script anyway.
  document.addEventListener("htmx:afterSettle", function () { busy = false; pump(); });
  // A refused request (say, a form from before `pmle serve` restarted): reload, so the page
  // shows what the server really has, with fresh forms. An unreachable server: say so.
  document.addEventListener("htmx:responseError", function () {
    busy = false; queue = [];
    location.reload();
  });
  document.addEventListener("htmx:sendError", function () {
    busy = false; queue = [];
    if (document.getElementById("offline")) return;
    var note = document.createElement("p");
    note.id = "offline";
    note.setAttribute("role", "alert");
    note.textContent = "pmle serve is not answering. Everything up to your last saved action is kept; start pmle serve again and reload this page.";
    document.body.insertBefore(note, document.body.firstChild);
  });

  // The countdown shows the server's figure; at zero the exam is submitted.
  var seen = null, deadline = 0, submitted = false, announced = 0;
  function tick() {
    var el = document.getElementById("timer");
    if (!el) return;
    var left = el.getAttribute("data-left-ms");
    if (left !== seen) { seen = left; deadline = Date.now() + Number(left); }
    var ms = Math.max(0, deadline - Date.now());
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    s = s % 60;
    // h:mm:ss, as the server writes every exam time.
    el.textContent = h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    el.classList.toggle("low", ms < 5 * 60 * 1000);
    // Screen readers hear the time only when it drops below 10, 5 and 1 minutes.
    var stage = ms <= 60000 ? 1 : ms <= 300000 ? 5 : ms <= 600000 ? 10 : 0;
    var alertBox = document.getElementById("time-alert");
    if (alertBox && stage && stage !== announced && ms > 0) {
      announced = stage;
      var left = Math.ceil(ms / 60000);
      alertBox.textContent = left + (left === 1 ? " minute" : " minutes") + " left.";
    }
    if (ms === 0 && !submitted) {
      var f = document.getElementById("auto-submit");
      if (f) { submitted = true; f.submit(); }
    }
  }
  setInterval(tick, 250);
  tick();

  // The heartbeat: while an exam page is open it tells the server so every few seconds.
  // The server's clock counts only between heartbeats (unless exam_clock is strict) and
  // saves the time on each one; the reply corrects the countdown or says where to go when
  // the exam ended (time up, or submitted or abandoned elsewhere).
  var beating = false;
  function beat() {
    var el = document.getElementById("timer");
    var form = document.getElementById("auto-submit");
    var url = form && form.getAttribute("data-beat");
    if (!el || !url || beating || submitted) return;
    var csrf = form.querySelector("input[name=csrf]");
    var exam = form.querySelector("input[name=exam]");
    beating = true;
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "csrf=" + encodeURIComponent(csrf ? csrf.value : "") +
        "&exam=" + encodeURIComponent(exam ? exam.value : ""),
      credentials: "same-origin",
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
      beating = false;
      if (!v) return;
      if (v.go) { submitted = true; window.location.assign(v.go); return; }
      var t = document.getElementById("timer");
      if (t && typeof v.left_ms === "number") t.setAttribute("data-left-ms", String(v.left_ms));
    }).catch(function () { beating = false; });
  }
  var timerEl = document.getElementById("timer");
  var every = timerEl ? Number(timerEl.getAttribute("data-beat-ms")) : 0;
  if (every > 0) setInterval(beat, every);
  // htmx set itself up on the same event, earlier; mark the page as live (tests wait for it).
  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.setAttribute("data-js", "ready");
  });
})();
