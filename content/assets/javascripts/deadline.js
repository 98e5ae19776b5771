/* The call's status (未开始 / 申报中 / 已截止), computed in the reader's browser from the times in
   .cg-deadline[data-cg-opens][data-cg-closes] (Beijing time, ISO 8601 with +08:00): a status written
   at build time would go stale on a static site. Days are counted in Beijing calendar days.
   Without JavaScript the times alone are shown. Updated every minute. A box inside an element with
   lang="en" (the English pages) says it in English. */
(function () {
  "use strict";

  var DAY = 86400000;
  var BEIJING = 8 * 3600000;

  function day(t) {
    return Math.floor((t + BEIJING) / DAY);
  }

  function clock(t) {
    var d = new Date(t + BEIJING);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function statusEn(now, opens, closes) {
    var n;
    if (now < opens) {
      n = day(opens) - day(now);
      return ["upcoming", n > 0 ? "Not open yet (opens in " + plural(n, "day") + ")" : "Not open yet (opens today at " + clock(opens) + " Beijing time)"];
    }
    if (now < closes) {
      n = day(closes) - day(now);
      return ["open", n > 0 ? "Open (" + plural(n, "day") + " to the deadline)" : "Open (closes today at " + clock(closes) + " Beijing time)"];
    }
    return ["closed", "Closed"];
  }

  function status(now, opens, closes) {
    var n;
    if (now < opens) {
      n = day(opens) - day(now);
      return ["upcoming", n > 0 ? "未开始（" + n + " 天后开始）" : "未开始（今日 " + clock(opens) + " 开始）"];
    }
    if (now < closes) {
      n = day(closes) - day(now);
      return ["open", n > 0 ? "申报中（距截止还有 " + n + " 天）" : "申报中（今日 " + clock(closes) + " 截止）"];
    }
    return ["closed", "已截止"];
  }

  function update() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll(".cg-deadline[data-cg-closes]"), function (box) {
      var opens = Date.parse(box.dataset.cgOpens);
      var closes = Date.parse(box.dataset.cgCloses);
      var out = box.querySelector(".cg-status");
      if (!out || isNaN(opens) || isNaN(closes)) return;
      var english = /^en\b/.test((box.closest("[lang]") || document.documentElement).lang);
      var found = (english ? statusEn : status)(now, opens, closes);
      out.dataset.state = found[0];
      out.textContent = found[1];
      out.hidden = false;
    });
  }

  update();
  window.setInterval(update, 60000);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update);
  }
})();
