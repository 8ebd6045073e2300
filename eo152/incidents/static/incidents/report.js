// The public report's pages. Without this script every page still works; with it, a page
// sent back with problems moves the focus to its list of problems, so a screen reader reads
// them first (the GOV.UK error summary pattern).
"use strict";
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
