// StreamGuard console keyboard shortcuts (no build step, no dependencies).
// Queue: j/k move the selection, x selects it for a bulk verdict, Enter opens it. Item: a approve, r remove, 1-9 toggle labels,
// Enter submit (and go to the next item), j next item, k back to the queue. Everywhere: ? help.
(function () {
  "use strict";
  var HELP = "Keys\n j / k  next / previous (queue rows; on an item: next item / queue)\n x      select the row for a bulk verdict\n Enter  open the row / submit the verdict and go on\n a      approve (no label applies)\n r      remove (the flagged labels apply)\n 1-9    toggle label 1-9\n ?      this help";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.item[data-event-id]")); }
  function selected() { return document.querySelector("tr.item.selected"); }
  function select(row) {
    var old = selected();
    if (old) { old.classList.remove("selected"); }
    if (row) { row.classList.add("selected"); row.scrollIntoView({block: "nearest"}); }
  }
  function move(step) {
    var all = rows();
    if (all.length === 0) { return; }
    var i = all.indexOf(selected());
    select(all[Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + step))]);
  }
  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); }
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.tagName === "INPUT" && t.type !== "checkbox" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    var form = document.getElementById("verdict");
    var key = e.key;
    if (key === "?") { alert(HELP); e.preventDefault(); return; }
    if (form) {
      if (key === "a") { click("#verdict button[value=approve]"); }
      else if (key === "r") { click("#verdict button[value=remove]"); }
      else if (key === "Enter") { click("#verdict button[value=submit]"); }
      else if (key === "j") { window.location.href = "/next"; }
      else if (key === "k") { window.location.href = "/queue"; }
      else if (/^[1-9]$/.test(key)) {
        var boxes = form.querySelectorAll("input[type=checkbox][name^=label_]");
        var box = boxes[parseInt(key, 10) - 1];
        if (box) { box.checked = !box.checked; }
      } else { return; }
      e.preventDefault();
      return;
    }
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "x" && selected()) {
      var box = selected().querySelector("input[type=checkbox][name=id]");
      if (box) { box.checked = !box.checked; }
    }
    else if (key === "Enter" && selected()) { click("tr.item.selected a"); }
    else { return; }
    e.preventDefault();
  });

  // keep the selected row and the bulk selection when htmx swaps in fresh rows
  var kept = {row: null, checked: {}};
  document.addEventListener("htmx:beforeSwap", function () {
    var row = selected();
    kept.row = row ? row.getAttribute("data-event-id") : null;
    kept.checked = {};
    document.querySelectorAll("input[type=checkbox][name=id]:checked").forEach(function (b) { kept.checked[b.value] = true; });
  });
  document.addEventListener("htmx:afterSwap", function () {
    rows().forEach(function (r) {
      var id = r.getAttribute("data-event-id");
      if (id === kept.row) { select(r); }
      var box = r.querySelector("input[type=checkbox][name=id]");
      if (box && kept.checked[id]) { box.checked = true; }
    });
  });
})();
