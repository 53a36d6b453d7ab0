// Drag-and-drop ranking for the rank task page. Without this script the page works through the place
// selects; with it, the order of the list is the ranking and the selects follow it.
(function () {
  "use strict";
  var list = document.getElementById("replies");
  if (!list || !list.closest(".task[data-kind^='rank_']")) return;

  function items() { return Array.prototype.slice.call(list.querySelectorAll("li.reply")); }
  function selectOf(item) { return item.querySelector("select"); }

  // The selects show each reply's place in the list, 1 = best.
  function renumber() {
    items().forEach(function (item, index) {
      selectOf(item).value = String(index + 1);
      item.setAttribute("aria-posinset", String(index + 1));
    });
  }

  // A form shown again after a refused submit keeps the places that were chosen.
  function orderFromSelects() {
    var ranked = items().map(function (item) { return { item: item, place: parseInt(selectOf(item).value, 10) }; });
    if (ranked.some(function (r) { return isNaN(r.place); })) return;
    ranked.sort(function (a, b) { return a.place - b.place; }).forEach(function (r) { list.appendChild(r.item); });
  }

  function move(item, offset) {
    var all = items();
    var target = all.indexOf(item) + offset;
    if (target < 0 || target >= all.length) return;
    if (offset < 0) list.insertBefore(item, all[target]); else list.insertBefore(item, all[target].nextSibling);
    renumber();
  }

  var dragged = null;
  items().forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.classList.add("draggable");
    var controls = document.createElement("span");
    controls.className = "move";
    [["\u2191", "Move up", -1], ["\u2193", "Move down", 1]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "small secondary";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", function () { move(item, spec[2]); button.focus(); });
      controls.appendChild(button);
    });
    item.querySelector(".reply-head").appendChild(controls);

    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("dragging");
      dragged = null;
      renumber();
    });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item) return;
      event.preventDefault();
      var box = item.getBoundingClientRect();
      var below = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, below ? item.nextSibling : item);
    });
    item.addEventListener("drop", function (event) { event.preventDefault(); });

    // Choosing a place in a select moves the reply there.
    selectOf(item).addEventListener("change", function () {
      var place = parseInt(selectOf(item).value, 10);
      if (isNaN(place)) return;
      var others = items().filter(function (other) { return other !== item; });
      list.insertBefore(item, others[place - 1] || null);
      renumber();
    });
  });

  orderFromSelects();
  renumber();
  var hint = document.querySelector(".rank-hint");
  if (hint) hint.textContent = "Drag the replies into order (or use the arrows), best first. The places follow the order.";
})();
