// The schedule review page: each hand-edit visit list is searchable (typing hides the options that do not
// match the name, date or inspector; the count says how many are left), and a visit picked on the grid
// comes preselected from the server. Options are hidden, never rebuilt, so no markup is ever written.
(function () {
  "use strict";
  function norm(s) { return (s || "").toLocaleLowerCase().replace(/\s+/g, " ").trim(); }

  document.querySelectorAll("input.visit-search").forEach(function (input) {
    var select = document.getElementById(input.dataset.for);
    var count = document.querySelector('[data-count-for="' + input.dataset.for + '"]');
    if (!select) return;
    var format = document.getElementById("edit").dataset.countFormat || "{n} / {total}";
    function filter() {
      var words = norm(input.value).split(" ").filter(Boolean), shown = 0, firstShown = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = norm(option.text);
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !match;
        if (match) { shown += 1; if (firstShown === null) firstShown = option; }
      });
      if (select.selectedOptions.length && select.selectedOptions[0].hidden && firstShown) firstShown.selected = true;
      if (count) count.textContent = words.length ? format.replace("{n}", shown).replace("{total}", select.options.length) : "";
    }
    input.addEventListener("input", filter);
  });

  // A collapsed map has no size: Leaflet redraws it when the details open again.
  var mapBox = document.querySelector("details.map-box");
  if (mapBox) mapBox.addEventListener("toggle", function () { window.dispatchEvent(new Event("resize")); });
})();
