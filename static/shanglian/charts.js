/* Charts of the statistics pages and the 工作台 (ECharts, static/vendor/echarts), declared by data attributes:
   any element with data-chart="<kind>" is drawn, reading its numbers from the json_script element named by
   data-source. No page or element id is known here, so a new module's page draws charts without editing
   this file. The CSP allows only our own script files and no inline styles, so nothing is inline and the
   tooltips are drawn on the canvas (renderMode "richText"), not as HTML. The tables under the charts carry
   the same numbers for screen readers and copying.

   Kinds and their attributes (keys name entries of the data object):
     pie         data-key: [{name, value}]
     ranking     data-key: [{name, value}]  or  data-names + data-values: two parallel lists;
                 data-unit ("%" → "12.5%"), data-max (axis maximum)
     combo       data-categories: the x axis; data-bars / data-lines: "key:名称;key:名称" (bars on the left
                 axis, lines on the right); data-axes: "左轴名;右轴名"; data-line-unit; data-line-max
     share-bars  data-key: [{label, more, moreValue, moreShare, less, lessValue, lessShare}] — one 100 % bar each */
(function () {
  "use strict";
  var COLORS = ["#c0392b", "#409eff", "#e6a23c", "#67c23a", "#909399"];
  var TOOLTIP = { renderMode: "richText", confine: true };
  var instances = [];
  var sources = {};

  function tooltip(extra) {
    return Object.assign({}, TOOLTIP, extra);
  }

  function source(id) {
    if (!(id in sources)) {
      var el = document.getElementById(id);
      sources[id] = el ? JSON.parse(el.textContent) : null;
    }
    return sources[id];
  }

  function draw(el, option) {
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    instance.setOption(Object.assign({ color: COLORS, animation: false, textStyle: { fontFamily: "inherit" } }, option));
    instances.push(instance);
  }

  function withUnit(value, unit) {
    return value === null || value === undefined ? "—" : value + (unit || "");
  }

  // "key:名称;key:名称" → [{key, name}]
  function seriesList(text) {
    return (text || "").split(";").filter(Boolean).map(function (part) {
      var i = part.indexOf(":");
      return { key: part.slice(0, i), name: part.slice(i + 1) };
    });
  }

  var DRAWERS = {
    pie: function (el, data) {
      draw(el, {
        tooltip: tooltip({ trigger: "item", formatter: "{b}：{c}（{d}%）" }),
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: data[el.dataset.key],
          label: { formatter: "{b}\n{c}（{d}%）" } }],
      });
    },

    ranking: function (el, data) {
      var d = el.dataset;
      var names, values;
      if (d.key) {
        names = data[d.key].map(function (r) { return r.name; });
        values = data[d.key].map(function (r) { return r.value; });
      } else {
        names = data[d.names];
        values = data[d.values];
      }
      if (!names.length) return;
      el.style.height = Math.max(120, names.length * 28 + 40) + "px";
      var xAxis = { type: "value", minInterval: d.unit ? 0 : 1 };
      if (d.max) { xAxis.min = 0; xAxis.max = Number(d.max); }
      if (d.unit) xAxis.axisLabel = { formatter: "{value}" + d.unit };
      draw(el, {
        tooltip: tooltip({ trigger: "axis", formatter: function (items) { return items[0].name + "：" + withUnit(items[0].value, d.unit); } }),
        grid: { left: 180, right: 60, top: 10, bottom: 20 },
        xAxis: xAxis,
        yAxis: { type: "category", inverse: true, data: names },
        series: [{ type: "bar", barMaxWidth: 22, data: values,
          label: { show: true, position: "right", formatter: function (p) { return withUnit(p.value, d.unit); } } }],
      });
    },

    combo: function (el, data) {
      var d = el.dataset;
      var categories = data[d.categories];
      if (!categories.length) return;
      var bars = seriesList(d.bars), lines = seriesList(d.lines);
      var axes = (d.axes || "").split(";");
      var lineAxis = { type: "value", name: axes[1] || "", splitLine: { show: false } };
      if (d.lineMax) { lineAxis.min = 0; lineAxis.max = Number(d.lineMax); }
      var series = bars.map(function (s) {
        return { name: s.name, type: "bar", barMaxWidth: 40, data: data[s.key],
          label: { show: bars.length === 1, position: "top" } };
      }).concat(lines.map(function (s) {
        return { name: s.name, type: "line", yAxisIndex: 1, data: data[s.key], connectNulls: false,
          label: { show: bars.length === 1, position: "top", backgroundColor: "#fff", borderRadius: 2, padding: [1, 3],
            formatter: function (p) { return withUnit(p.value, d.lineUnit); } } };
      }));
      draw(el, {
        tooltip: tooltip({
          trigger: "axis",
          formatter: function (items) {
            var i = items[0].dataIndex;
            return [categories[i]].concat(bars.map(function (s) { return s.name + "：" + withUnit(data[s.key][i]); }),
              lines.map(function (s) { return s.name + "：" + withUnit(data[s.key][i], d.lineUnit); })).join("\n");
          },
        }),
        legend: { data: series.map(function (s) { return s.name; }), top: 0 },
        grid: { left: 60, right: 60, top: 40, bottom: 30 },
        xAxis: { type: "category", data: categories },
        yAxis: [{ type: "value", name: axes[0] || "", minInterval: 1 }, lineAxis],
        series: series,
      });
    },

    "share-bars": function (el, data) {
      var rows = data[el.dataset.key];
      var side = function (which) {
        return rows.map(function (p) {
          return { value: p[which + "Share"] === null ? 0 : p[which + "Share"], label: p[which],
            count: p[which + "Value"], share: p[which + "Share"] };
        });
      };
      var text = function (p) { return p.data.label + " " + p.data.count + "（" + withUnit(p.data.share, "%") + "）"; };
      el.style.height = Math.max(160, rows.length * 52 + 52) + "px";
      draw(el, {
        tooltip: tooltip({ trigger: "item", formatter: function (p) { return rows[p.dataIndex].label + "\n" + text(p); } }),
        grid: { left: 150, right: 30, top: 10, bottom: 30 },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: rows.map(function (p) { return p.label; }) },
        series: [
          { name: "多", type: "bar", stack: "share", barMaxWidth: 32, data: side("more"), label: { show: true, formatter: text } },
          { name: "少", type: "bar", stack: "share", barMaxWidth: 32, data: side("less"), label: { show: true, formatter: text } },
        ],
      });
    },
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var drawer = DRAWERS[el.dataset.chart];
      var data = source(el.dataset.source);
      if (drawer && data) drawer(el, data);
    });
    if (instances.length) {
      window.addEventListener("resize", function () {
        instances.forEach(function (instance) { instance.resize(); });
      });
    }
  });
})();
