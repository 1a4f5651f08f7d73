/* Typing in paper sheets: in a question's answers, a number key picks that answer (0 leaves it
   blank) and moves on to the next field, so a sheet goes in without the mouse. Without this
   script the form works the same with Tab, the arrow keys and space. */
(function () {
  "use strict";
  var form = document.querySelector(".paper-entry");
  if (!form) return;
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return !el.disabled && el.type !== "hidden" && ["INPUT", "TEXTAREA", "SELECT"].indexOf(el.tagName) >= 0;
    });
  }
  function next(after) {
    var all = fields();
    var group = after.closest("fieldset");
    for (var i = all.indexOf(after) + 1; i < all.length; i++) {
      if (group && group.contains(all[i])) continue;
      var target = all[i];
      if (target.type === "radio") {
        target = all[i].closest("fieldset").querySelector("input:checked") || target;
      }
      target.focus();
      return;
    }
    form.querySelector("button").focus();
  }
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && (el.type === "radio" || el.type === "checkbox")) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (!/^[0-9]$/.test(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (el.type !== "radio" && el.type !== "checkbox") return;
    var group = el.closest("fieldset");
    var choice = group && group.querySelector('input[data-key="' + event.key + '"]');
    if (!choice) return;
    event.preventDefault();
    if (choice.type === "checkbox") {
      choice.checked = !choice.checked;
      choice.focus();
      return;
    }
    choice.checked = true;
    next(choice);
  });
})();
