/**
 * The report page's own script (browser JavaScript, kept as text because the project compiles without
 * DOM types). Rules it keeps: data come only from the JSON block; every piece of data reaches the page
 * through textContent or setAttribute of a fixed attribute name, never innerHTML; no inline handlers.
 */
export const REPORT_CLIENT_SCRIPT = `(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function section(id) { return document.getElementById(id); }

  // header
  document.title = "topicscope report: " + data.title;
  section("title").textContent = data.title;
  section("summary").textContent = data.summary;

  // topic table: sortable headers, search box
  var table = section("topic-table");
  var columns = [
    { key: "id", title: "Topic", numeric: true },
    { key: "label", title: "Label" },
    { key: "size", title: "Documents", numeric: true },
    { key: "share", title: "Share", numeric: true, format: function (v) { return (100 * v).toFixed(1) + "%"; } },
    { key: "words", title: "Top words" }
  ];
  var sortKey = "id", sortAsc = true;
  var thead = el("thead"), headRow = el("tr");
  columns.forEach(function (c) {
    var th = el("th", { scope: "col" });
    var button = el("button", { type: "button", "data-key": c.key }, c.title);
    button.addEventListener("click", function () {
      if (sortKey === c.key) sortAsc = !sortAsc; else { sortKey = c.key; sortAsc = true; }
      renderRows();
    });
    th.appendChild(button);
    headRow.appendChild(th);
  });
  thead.appendChild(headRow);
  table.appendChild(thead);
  var tbody = el("tbody");
  table.appendChild(tbody);
  var search = section("topic-search");
  search.addEventListener("input", renderRows);
  function renderRows() {
    var query = search.value.trim().toLowerCase();
    var col = columns.filter(function (c) { return c.key === sortKey; })[0];
    var rows = data.topics.filter(function (t) {
      return query === "" || (t.id + " " + t.label + " " + t.words).toLowerCase().indexOf(query) >= 0;
    });
    rows.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      var r = col.numeric ? x - y : String(x).localeCompare(String(y));
      return sortAsc ? r : -r;
    });
    tbody.replaceChildren();
    rows.forEach(function (t) {
      var tr = el("tr");
      columns.forEach(function (c) {
        tr.appendChild(el("td", c.numeric ? { class: "num" } : null, c.format ? c.format(t[c.key]) : t[c.key]));
      });
      tbody.appendChild(tr);
    });
    headRow.querySelectorAll("button").forEach(function (b) {
      var key = b.getAttribute("data-key");
      b.setAttribute("aria-sort", key === sortKey ? (sortAsc ? "ascending" : "descending") : "none");
    });
    section("topic-count").textContent = rows.length + " of " + data.topics.length + " topics";
  }
  renderRows();

  // representative documents
  var reps = section("representatives");
  data.topics.forEach(function (t) {
    if (!t.representative.length) return;
    var details = el("details");
    // the label (corpus text) in its own <bdi>, so its direction cannot reorder the count after it
    var summary = el("summary");
    summary.appendChild(el("bdi", null, t.label));
    summary.appendChild(document.createTextNode(" (" + t.size + " documents)"));
    details.appendChild(summary);
    t.representative.forEach(function (text) { details.appendChild(el("blockquote", null, text)); });
    reps.appendChild(details);
  });

  // run parameters and timings
  function keyValueTable(target, rows) {
    var tb = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, r[0]));
      tr.appendChild(el("td", null, r[1]));
      tb.appendChild(tr);
    });
    section(target).appendChild(tb);
  }
  keyValueTable("parameters", data.parameters);
  keyValueTable("timings", data.timings);

  // charts: Vega views with the CSP-safe expression interpreter and a text-only tooltip
  var tip = el("div", { id: "tooltip", role: "tooltip" });
  tip.hidden = true;
  document.body.appendChild(tip);
  function tooltip(handler, event, item, value) {
    if (value === null || value === undefined || value === "") { tip.hidden = true; return; }
    tip.replaceChildren();
    if (typeof value === "object") {
      Object.keys(value).forEach(function (k) {
        var line = el("div");
        line.appendChild(el("b", null, k + ": "));
        line.appendChild(el("bdi", null, String(value[k])));
        tip.appendChild(line);
      });
    } else {
      tip.appendChild(el("bdi", null, String(value)));
    }
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, event.clientX - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, event.clientY - h - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  var charts = section("charts");
  data.charts.forEach(function (chart) {
    var figure = el("figure", { class: "chart", id: "chart-" + chart.name });
    var holder = el("div", { class: "vega" });
    figure.appendChild(holder);
    var bar = el("div", { class: "chart-actions" });
    figure.appendChild(bar);
    charts.appendChild(figure);
    var view = new vega.View(vega.parse(chart.vega, null, { ast: true }), {
      expr: vega.expressionInterpreter,
      renderer: chart.renderer,
      container: holder,
      hover: true
    });
    view.tooltip(tooltip);
    view.runAsync().then(function () {
      figure.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      holder.appendChild(el("p", { class: "error" }, "This chart could not be drawn: " + error.message));
      console.error(error);
    });
    ["svg", "png"].forEach(function (format) {
      var button = el("button", { type: "button" }, "Save " + format.toUpperCase());
      button.addEventListener("click", function () {
        view.toImageURL(format, format === "png" ? 2 : 1).then(function (url) {
          var a = el("a", { href: url, download: chart.name + "." + format });
          document.body.appendChild(a);
          a.click();
          a.remove();
        });
      });
      bar.appendChild(button);
    });
  });
  var missing = section("missing-charts");
  data.missing.forEach(function (m) { missing.appendChild(el("li", null, m)); });
  if (!data.missing.length) missing.parentNode.removeChild(missing);
})();
`;
