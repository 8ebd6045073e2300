// Live exercise pages: the console and a player's page ask the site every few seconds
// whether anything changed (a small JSON status), and when it did, fetch the page again and
// put its new parts in place. Without this script the page says to refresh.
"use strict";
(function () {
  var root = document.querySelector("[data-live-source]");
  if (!root) return;
  var EVERY = 4000;
  document.querySelectorAll(".ex-nojs").forEach(function (note) {
    note.hidden = true;
  });

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var next = fresh.querySelector("[data-live-source]");
    if (!next) return;
    if (root.hasAttribute("data-live-whole")) {
      // A player's page: the part and its form are new; what was typed belongs to the last.
      root.replaceChildren.apply(root, Array.from(next.childNodes));
      root.querySelectorAll(".ex-nojs").forEach(function (note) {
        note.hidden = true;
      });
    } else {
      // The console: only the parts that report what is happening; forms being filled stay.
      next.querySelectorAll("[data-live]").forEach(function (part) {
        var here = root.querySelector('[data-live="' + part.getAttribute("data-live") + '"]');
        if (here) here.replaceWith(part);
      });
    }
    root.setAttribute("data-version", next.getAttribute("data-version"));
  }

  function check() {
    fetch(root.getAttribute("data-live-source"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status || status.version === root.getAttribute("data-version")) return null;
        return fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
          .then(function (response) {
            return response.text();
          })
          .then(swap);
      })
      .catch(function () {
        // The site did not answer this time: ask again at the next turn.
      })
      .then(function () {
        window.setTimeout(check, EVERY);
      });
  }
  window.setTimeout(check, EVERY);
})();
