// The calculator shows the management levels of the chosen land use only; the others are
// disabled so that the form sends one set (without JavaScript the server says what to fix).
(function () {
  var landUse = document.getElementById("carbon-land-use");
  if (!landUse) return;
  function show() {
    document.querySelectorAll(".carbon-levels").forEach(function (group) {
      var active = group.dataset.landUse === landUse.value;
      group.hidden = !active;
      group.querySelectorAll("select").forEach(function (select) { select.disabled = !active; });
    });
  }
  landUse.addEventListener("change", show);
  show();
})();
