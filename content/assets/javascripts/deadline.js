/* The call's status (未开始 / 申报中 / 已截止), computed in the reader's browser from the times in
   .cg-deadline[data-cg-opens][data-cg-closes] (Beijing time, ISO 8601 with +08:00): a status written
   at build time would go stale on a static site. Days are counted in Beijing calendar days.
   Without JavaScript the times alone are shown. Updated every minute. */
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
      var found = status(now, opens, closes);
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
