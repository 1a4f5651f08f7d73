/* An initiative's live counts: fetch the block again every so often, and when "Refresh" is
   pressed, and swap it in without reloading the page. Without this script "Refresh" is a plain
   link and the page works the same, one reload at a time. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.getAttribute("data-live-url");
  var every = Number(script.getAttribute("data-refresh-seconds")) * 1000;
  var status = document.getElementById("live-status");
  var busy = false;

  function refresh(announce) {
    if (busy) return;
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.getElementById("live");
        var old = document.getElementById("live");
        if (fresh && old) {
          old.replaceWith(fresh);
          if (announce && status) status.textContent = "Counts updated";
        }
      })
      .catch(function () {
        if (announce && status) status.textContent = "Could not update the counts; try again in a moment";
      })
      .then(function () { busy = false; });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".live__refresh");
    if (!link) return;
    event.preventDefault();
    refresh(true);
  });
  window.setInterval(function () {
    if (!document.hidden) refresh(false);
  }, every);
})();
