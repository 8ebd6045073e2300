// The field guide's conditional reveal. Without this script every follow-up question is a
// page of its own; with it, an answer that calls for a follow-up shows it in place.
"use strict";
document.addEventListener("click", function (event) {
  var control = event.target.closest("[data-reveals]");
  if (!control) return;
  var target = document.getElementById(control.getAttribute("data-reveals"));
  if (!target) return;
  if (control.tagName === "BUTTON") {
    // Keep the parent's answer in the form: the follow-up's button sends both.
    event.preventDefault();
    var form = control.form;
    var kept = form.querySelector('input[type="hidden"][name="' + control.name + '"]');
    if (!kept) {
      kept = document.createElement("input");
      kept.type = "hidden";
      kept.name = control.name;
      form.appendChild(kept);
    }
    kept.value = control.value;
    control.parentNode.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button === control));
    });
  }
  target.hidden = false;
  var first = target.querySelector("button, a");
  if (first && control.tagName === "BUTTON") first.focus();
});
// A radio that reveals (the resident's link) shows it only while it is chosen; without
// this script the link is always there.
function showChosen(name) {
  document.querySelectorAll('input[name="' + name + '"][data-reveals]').forEach(function (input) {
    var target = document.getElementById(input.getAttribute("data-reveals"));
    if (target) target.hidden = !input.checked;
  });
}
document.addEventListener("change", function (event) {
  if (event.target.type === "radio") showChosen(event.target.name);
});
document.querySelectorAll('input[type="radio"][data-reveals]').forEach(function (input) {
  showChosen(input.name);
});
