// Qala dashboard behaviour: highlight an item's sentence; draw series with the local Plotly.
(function () {
  "use strict";

  function sentenceOf(key) {
    var link = document.querySelector('a.item[data-item="' + key + '"]');
    if (link && link.dataset.sentence) return document.getElementById(link.dataset.sentence);
    var anchor = document.getElementById(key);
    return anchor ? anchor.closest(".sent") : null;
  }

  function highlight(key) {
    var sentence = sentenceOf(key);
    if (!sentence) return false;
    document.querySelectorAll(".sent.highlight").forEach(function (el) { el.classList.remove("highlight"); });
    document.querySelectorAll("mark.flash").forEach(function (el) { el.classList.remove("flash"); });
    sentence.classList.add("highlight");
    document.querySelectorAll("mark[data-items]").forEach(function (el) {
      if (el.dataset.items.split(" ").indexOf(key) >= 0) el.classList.add("flash");
    });
    sentence.scrollIntoView({ behavior: "smooth", block: "center" });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.item");
    if (!link) return;
    event.preventDefault();
    if (highlight(link.dataset.item)) history.replaceState(null, "", "#" + link.dataset.item);
  });

  function fromHash() {
    if (location.hash.length > 1) highlight(decodeURIComponent(location.hash.slice(1)));
  }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("DOMContentLoaded", fromHash);

  // Russian axes: month names, a decimal comma, spaced thousands, and the scale as a word.
  var RU = {
    moduleType: "locale", name: "ru", dictionary: {},
    format: {
      days: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
      shortDays: ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
      months: ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
               "ноябрь", "декабрь"],
      shortMonths: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
      date: "%d.%m.%Y", decimal: ",", thousands: " "
    }
  };
  var SCALES = [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"], [1e3, "тыс."]];

  function scaleOf(points) {
    var top = Math.max.apply(null, points.map(function (p) { return Math.abs(p.y || 0); }).concat([0]));
    for (var i = 0; i < SCALES.length; i++) if (top >= SCALES[i][0]) return SCALES[i];
    return [1, ""];
  }

  function charts(dataId) {
    var holder = document.getElementById(dataId);
    if (!holder || !window.Plotly) return;
    Plotly.register(RU);
    var all = JSON.parse(holder.textContent);
    Object.keys(all).forEach(function (code) {
      var el = document.getElementById("chart-" + code);
      var points = all[code];
      var official = points.filter(function (p) { return p.kind === "official"; });
      var reported = points.filter(function (p) { return p.kind !== "implied" && p.kind !== "official"; });
      var implied = points.filter(function (p) { return p.kind === "implied"; });
      if (!el || points.length < 2) return;
      var scale = scaleOf(points);
      var suffix = scale[1] ? " " + scale[1] : "";
      function trace(list, extra) {
        return Object.assign({
          x: list.map(function (p) { return p.x; }), y: list.map(function (p) { return p.y / scale[0]; }),
          text: list.map(function (p) { return p.label; }), customdata: list.map(function (p) { return p.url; }),
          hovertemplate: "%{text}: %{y:,.4~r}" + suffix + "<extra></extra>"
        }, extra);
      }
      var traces = [];
      // official statistics: a line; the press figures: points over it (each hover names its source)
      if (official.length) traces.push(trace(official, { mode: "lines", line: { color: "#7a7a7a", width: 2 },
        name: el.dataset.official || "" }));
      if (reported.length) traces.push(trace(reported, { mode: official.length ? "markers" : "lines+markers",
        line: { color: "#0b6e99" }, marker: { size: 8, color: "#0b6e99" },
        name: official.length ? (el.dataset.reported || "") : "" }));
      if (implied.length) traces.push(trace(implied, { mode: "markers", name: el.dataset.implied || "",
        hovertemplate: "%{text} (" + (el.dataset.implied || "") + "): %{y:,.4~r}" + suffix + "<extra></extra>",
        marker: { symbol: "circle-open", size: 9, color: "#b26a00" } }));
      Plotly.newPlot(el, traces, { margin: { l: 60, r: 10, t: 10, b: 30 }, height: 170, separators: ", ",
        xaxis: { type: "date", tickformat: "%b %Y", hoverformat: "%d.%m.%Y" },
        yaxis: { ticksuffix: suffix, tickformat: ",.4~r", exponentformat: "none" },
        showlegend: official.length > 0, legend: { orientation: "h", y: -0.25 } },
        { displayModeBar: false, responsive: true, locale: "ru" });
      el.on("plotly_click", function (data) { if (data.points[0].customdata) window.location = data.points[0].customdata; });
    });
  }

  window.qala = { highlight: highlight, charts: charts };
  // Charts start here, not from an inline script: the Content-Security-Policy allows none.
  if (document.getElementById("chart-data")) charts("chart-data");
})();
