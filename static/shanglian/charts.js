/* Member statistics charts. Data comes from the json_script element #member-stats (no inline script:
   the CSP allows only our own files). */
(function () {
  "use strict";
  var RED = ["#c0392b", "#e6a23c", "#409eff", "#67c23a", "#909399"];

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var instance = window.echarts.init(el);
    instance.setOption(Object.assign({ color: RED, animation: false }, option));
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function bars(id, rows) {
    if (!rows.length) return;
    var el = document.getElementById(id);
    if (el) el.style.height = Math.max(120, rows.length * 30 + 40) + "px";
    var reversed = rows.slice().reverse();
    chart(id, {
      grid: { left: 160, right: 30, top: 10, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: reversed.map(function (r) { return r.name; }) },
      tooltip: { trigger: "axis" },
      series: [{ type: "bar", data: reversed.map(function (r) { return r.value; }) }],
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("member-stats");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    chart("chart-kinds", {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["40%", "70%"], data: data.kinds }],
    });
    if (data.years.length) {
      chart("chart-years", {
        tooltip: { trigger: "axis" },
        legend: { data: ["年末在册", "增长率（%）"] },
        xAxis: { type: "category", data: data.years },
        yAxis: [{ type: "value", name: "会员数", minInterval: 1 }, { type: "value", name: "%" }],
        series: [
          { name: "年末在册", type: "bar", data: data.inForce },
          { name: "增长率（%）", type: "line", yAxisIndex: 1, data: data.growthRate },
        ],
      });
    }
    chart("chart-pairs", {
      tooltip: { trigger: "axis" },
      legend: { data: ["前者", "后者"] },
      xAxis: { type: "category", data: data.pairs.map(function (p) { return p.more + " / " + p.less; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "前者", type: "bar", data: data.pairs.map(function (p) { return p.moreValue; }) },
        { name: "后者", type: "bar", data: data.pairs.map(function (p) { return p.lessValue; }) },
      ],
    });
    bars("chart-chambers", data.chambers);
    bars("chart-streets", data.streets);
  });
})();
