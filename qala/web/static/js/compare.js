// The comparison page's bar chart (Plotly served from the package); the data sits in #compare-data.
(function () {
  var data = document.getElementById("compare-data");
  var el = document.getElementById("compare-chart");
  if (!data || !el || typeof Plotly === "undefined") return;
  var chart = JSON.parse(data.textContent);
  if (!chart.names || !chart.names.length) return;
  var scales = [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"], [1e3, "тыс."]];
  var top = Math.max.apply(null, chart.values.map(Math.abs));
  var scale = chart.unit === "%" ? null : scales.find(function (s) { return top >= s[0]; });
  var factor = scale ? scale[0] : 1;
  var units = { KZT: "тенге", m2: "м²", count: "", "%": "%", USD: "долл. США" };
  var label = ((scale ? scale[1] + " " : "") + (units[chart.unit] !== undefined ? units[chart.unit] : (chart.unit || ""))).trim();
  Plotly.newPlot(el, [{
    type: "bar", orientation: "h", x: chart.values.map(function (v) { return v / factor; }).reverse(),
    y: chart.names.slice().reverse(), marker: { color: "#1f5f8b" },
    hovertemplate: "%{y}: %{x:,.3~f} " + label + "<extra></extra>"
  }], {
    margin: { l: 170, r: 20, t: 10, b: 40 }, height: 60 + 26 * chart.names.length,
    xaxis: { title: { text: label }, separatethousands: true }, separators: ", "
  }, { displayModeBar: false, responsive: true, locale: "ru" });
})();
