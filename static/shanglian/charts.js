/* Member statistics and appeal KPI charts (ECharts, static/vendor/echarts). The data comes from the json_script
   element #member-stats or #appeal-kpis written by the page: the CSP allows only our own script files and no inline styles, so
   nothing is inline and the tooltips are drawn on the canvas (renderMode "richText"), not as HTML. The
   tables under the charts carry the same numbers for screen readers and copying. */
(function () {
  "use strict";
  var COLORS = ["#c0392b", "#409eff", "#e6a23c", "#67c23a", "#909399"];
  var TOOLTIP = { renderMode: "richText", confine: true };
  var instances = [];

  function tooltip(extra) {
    return Object.assign({}, TOOLTIP, extra);
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    instance.setOption(Object.assign({ color: COLORS, animation: false, textStyle: { fontFamily: "inherit" } }, option));
    instances.push(instance);
    return instance;
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value + "%";
  }

  function kinds(data) {
    chart("chart-kinds", {
      tooltip: tooltip({ trigger: "item", formatter: "{b}：{c}（{d}%）" }),
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: data.kinds,
        label: { formatter: "{b}\n{c}（{d}%）" },
      }],
    });
  }

  function years(data) {
    if (!data.years.length) return;
    chart("chart-years", {
      tooltip: tooltip({
        trigger: "axis",
        formatter: function (items) {
          var i = items[0].dataIndex;
          return data.years[i] + "末\n年末在册：" + data.inForce[i] + "\n比上年增加：" + data.growth[i] +
            "\n增长率：" + percent(data.growthRate[i]);
        },
      }),
      legend: { data: ["年末在册", "增长率（%）"], top: 0 },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.years },
      yAxis: [
        { type: "value", name: "会员数", minInterval: 1 },
        { type: "value", name: "增长率（%）", splitLine: { show: false } },
      ],
      series: [
        { name: "年末在册", type: "bar", barMaxWidth: 48, data: data.inForce, label: { show: true, position: "top" } },
        { name: "增长率（%）", type: "line", yAxisIndex: 1, data: data.growthRate, connectNulls: false,
          label: { show: true, position: "top", backgroundColor: "#fff", borderRadius: 2, padding: [1, 3],
            formatter: function (p) { return percent(p.value); } } },
      ],
    });
  }

  function pairs(data) {
    // One 100 % bar per pair: the side the reports find more of, then the other side.
    var side = function (which) {
      return data.pairs.map(function (p) {
        return { value: p[which + "Share"] === null ? 0 : p[which + "Share"], label: p[which],
          count: p[which + "Value"], share: p[which + "Share"] };
      });
    };
    var text = function (p) { return p.data.label + " " + p.data.count + "（" + percent(p.data.share) + "）"; };
    var el = document.getElementById("chart-pairs");
    if (el) el.style.height = "260px";
    chart("chart-pairs", {
      tooltip: tooltip({ trigger: "item", formatter: function (p) { return data.pairs[p.dataIndex].label + "\n" + text(p); } }),
      grid: { left: 150, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: data.pairs.map(function (p) { return p.label; }) },
      series: [
        { name: "多", type: "bar", stack: "share", barMaxWidth: 32, data: side("more"),
          label: { show: true, formatter: text } },
        { name: "少", type: "bar", stack: "share", barMaxWidth: 32, data: side("less"),
          label: { show: true, formatter: text } },
      ],
    });
  }

  function ranking(id, rows) {
    if (!rows.length) return;
    var el = document.getElementById(id);
    if (el) el.style.height = Math.max(120, rows.length * 28 + 40) + "px";
    chart(id, {
      tooltip: tooltip({ trigger: "axis", formatter: function (items) { return items[0].name + "：" + items[0].value; } }),
      grid: { left: 180, right: 40, top: 10, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", barMaxWidth: 22, data: rows.map(function (r) { return r.value; }),
        label: { show: true, position: "right" } }],
    });
  }

  // --- Appeal KPIs (#appeal-kpis, written by the 诉求统计 page and the 工作台 panel) -------------------
  function appealMonths(data) {
    if (!data.months.length) return;
    chart("chart-appeal-months", {
      tooltip: tooltip({
        trigger: "axis",
        formatter: function (items) {
          var i = items[0].dataIndex;
          var score = data.score[i];
          return data.months[i] + "\n诉求量：" + data.received[i] + "\n办结量：" + data.closed[i] +
            "\n满意度：" + (score === null || score === undefined ? "—" : score + "分");
        },
      }),
      legend: { data: ["诉求量", "办结量", "满意度"], top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", name: "件", minInterval: 1 },
        { type: "value", name: "满意度", min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        { name: "诉求量", type: "bar", barMaxWidth: 28, data: data.received },
        { name: "办结量", type: "bar", barMaxWidth: 28, data: data.closed },
        { name: "满意度", type: "line", yAxisIndex: 1, data: data.score, connectNulls: false },
      ],
    });
  }

  function appealDepartments(data) {
    if (!data.departments.length) return;
    var el = document.getElementById("chart-appeal-departments");
    if (el) el.style.height = Math.max(120, data.departments.length * 28 + 40) + "px";
    chart("chart-appeal-departments", {
      tooltip: tooltip({ trigger: "axis", formatter: function (items) { return items[0].name + "：" + percent(items[0].value); } }),
      grid: { left: 160, right: 60, top: 10, bottom: 20 },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: data.departments },
      series: [{ name: "按时办理率", type: "bar", barMaxWidth: 22, data: data.onTime,
        label: { show: true, position: "right", formatter: function (p) { return percent(p.value); } } }],
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("appeal-kpis");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    appealMonths(data);
    appealDepartments(data);
    window.addEventListener("resize", function () {
      instances.forEach(function (instance) { instance.resize(); });
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("member-stats");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    kinds(data);
    years(data);
    pairs(data);
    ranking("chart-chambers", data.chambers);
    ranking("chart-streets", data.streets);
    window.addEventListener("resize", function () {
      instances.forEach(function (instance) { instance.resize(); });
    });
  });
})();
