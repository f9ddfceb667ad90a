// The import run page follows a running import: reload every few seconds until it ends.
(function () {
  var running = document.getElementById("import-running");
  if (!running) return;
  var seconds = parseInt(running.getAttribute("data-refresh"), 10) || 2;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
