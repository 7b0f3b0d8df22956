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
     share-bars  data-key: [{label, more, moreValue, moreShare, less, lessValue, lessShare}] — one 100 % bar each

   Category labels stay readable at any width, in every chart: beside horizontal bars they take at most a
   share of the chart's width and longer ones are cut with "…"; under vertical bars they turn 40° when they
   do not fit side by side (and are cut as well). The full text of a label is never lost: while the pointer
   is on it, it is the chart's title (the browser's tooltip) and the chart shows that category's tooltip,
   which starts with the full label (a tap does the same on a phone); the table under the chart has it too.
   A bar's own label is written inside the bar only when it fits there, shortened to the share or left to
   the tooltip otherwise. */
(function () {
  "use strict";
  var COLORS = ["#c0392b", "#409eff", "#e6a23c", "#67c23a", "#909399"];
  var TOOLTIP = { renderMode: "richText", confine: true };
  var charts = []; // {el, drawer, data, width}
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

  function draw(el, option, labels) {
    var old = window.echarts.getInstanceByDom(el);
    if (old) old.dispose(); // drawn again at a new width: the labels are laid out for it
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    instance.setOption(Object.assign({ color: COLORS, animation: false, textStyle: { fontFamily: "inherit" } }, option));
    if (labels) explainLabels(instance, el, labels);
    return instance;
  }

  // --- readable category labels -------------------------------------------------------------------------
  var FONT = 12; // ECharts' axis label size
  var NARROW = 560; // px: a chart narrower than this is on a phone

  // The width of a text at 12 px: CJK characters and full-width signs are square, the rest about 0.6 em.
  function textWidth(text) {
    return Array.from(String(text)).reduce(function (width, ch) {
      return width + (ch.charCodeAt(0) > 0x2e7f ? FONT : FONT * 0.6);
    }, 0);
  }

  // A long label folded into lines that fit the chart, for a tooltip (which is confined to the chart).
  function fold(el, text) {
    var perLine = Math.max(6, Math.floor((el.clientWidth - 40) / FONT));
    var chars = Array.from(String(text));
    var lines = [];
    for (var i = 0; i < chars.length; i += perLine) lines.push(chars.slice(i, i + perLine).join(""));
    return lines.join("\n");
  }

  function longest(names) {
    return names.reduce(function (width, name) { return Math.max(width, textWidth(name)); }, 0);
  }

  // The width of the labels beside horizontal bars: their own, but at most 28 % of the chart (64–180 px).
  function sideLabelWidth(el, names) {
    return Math.ceil(Math.min(longest(names), Math.max(64, Math.min(180, el.clientWidth * 0.28))));
  }

  // A category axis whose labels are cut to `width` with "…" and report the pointer (explainLabels).
  function categoryAxis(names, width, extra) {
    return Object.assign({ type: "category", data: names, triggerEvent: true,
      axisLabel: { width: width, overflow: "truncate", ellipsis: "…" } }, extra);
  }

  // The labels under vertical bars: flat when each fits its slot, else turned 40° and cut at 84 px
  // (every label shown while a slot is at least one line high, every other one below that). Returns the
  // axisLabel and the room the labels need under the plot.
  function bottomLabels(el, names, left, right) {
    var slot = (el.clientWidth - left - right) / Math.max(1, names.length);
    var width = longest(names);
    if (width + 8 <= slot) return { label: { interval: 0 }, height: FONT + 14 };
    width = Math.min(width, 84);
    return { label: { interval: slot >= FONT * 1.6 ? 0 : "auto", rotate: 40, width: width, overflow: "truncate",
                      ellipsis: "…" },
             height: Math.ceil(width * Math.sin(40 * Math.PI / 180) + FONT + 12) };
  }

  // The full text of a label under the pointer: the chart's title (the browser's tooltip) and the
  // chart's tooltip of that category, which starts with the full label.
  function explainLabels(instance, el, names) {
    instance.on("mouseover", function (p) {
      if (p.targetType !== "axisLabel") return;
      el.title = p.value;
      var i = names.indexOf(p.value);
      if (i >= 0) instance.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
    });
    instance.on("mouseout", function (p) {
      if (p.targetType === "axisLabel") el.removeAttribute("title");
    });
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
      // on a phone the labels beside the ring would be cut at the edges: the legend carries the numbers
      var items = data[el.dataset.key];
      var narrow = el.clientWidth < NARROW;
      var values = {};
      items.forEach(function (item) { values[item.name] = item.value; });
      draw(el, {
        tooltip: tooltip({ trigger: "item", formatter: "{b}：{c}（{d}%）" }),
        legend: { bottom: 0, formatter: narrow ? function (name) { return name + " " + withUnit(values[name]); } : "{name}" },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: items,
          label: { show: !narrow, formatter: "{b}\n{c}（{d}%）", width: 120, overflow: "truncate", ellipsis: "…" } }],
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
      var xAxis = { type: "value", minInterval: d.unit ? 0 : 1, splitNumber: el.clientWidth < NARROW ? 3 : 5 };
      if (d.max) { xAxis.min = 0; xAxis.max = Number(d.max); }
      if (d.unit) xAxis.axisLabel = { formatter: "{value}" + d.unit };
      var width = sideLabelWidth(el, names);
      draw(el, {
        tooltip: tooltip({ trigger: "axis", formatter: function (items) { return fold(el, items[0].name) + "：" + withUnit(items[0].value, d.unit); } }),
        grid: { left: width + 16, right: 60, top: 10, bottom: 20 },
        xAxis: xAxis,
        yAxis: categoryAxis(names, width, { inverse: true }),
        series: [{ type: "bar", barMaxWidth: 22, data: values,
          label: { show: true, position: "right", formatter: function (p) { return withUnit(p.value, d.unit); } } }],
      }, names);
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
      var narrow = el.clientWidth < NARROW;
      var bottom = bottomLabels(el, categories, 60, 60);
      draw(el, {
        tooltip: tooltip({
          trigger: "axis",
          formatter: function (items) {
            var i = items[0].dataIndex;
            return [fold(el, categories[i])].concat(bars.map(function (s) { return s.name + "：" + withUnit(data[s.key][i]); }),
              lines.map(function (s) { return s.name + "：" + withUnit(data[s.key][i], d.lineUnit); })).join("\n");
          },
        }),
        legend: { data: series.map(function (s) { return s.name; }), top: 0 },
        // on a phone the axis names go below the legend instead of beside it
        grid: { left: 60, right: 60, top: narrow ? 64 : 40, bottom: bottom.height },
        xAxis: categoryAxis(categories, null, { axisLabel: bottom.label }),
        yAxis: [{ type: "value", name: axes[0] || "", minInterval: 1 }, lineAxis],
        series: series,
      }, categories);
    },

    "share-bars": function (el, data) {
      var rows = data[el.dataset.key];
      var names = rows.map(function (p) { return p.label; });
      var width = sideLabelWidth(el, names);
      var plot = el.clientWidth - width - 16 - 30;
      var full = function (item) { return item.name + " " + item.count + "（" + withUnit(item.share, "%") + "）"; };
      // what fits inside the segment: the whole text, else the share alone, else nothing (see the tooltip)
      var fitting = function (item) {
        var room = (item.value / 100) * plot - 8;
        var short = withUnit(item.share, "%");
        return textWidth(full(item)) <= room ? full(item) : (textWidth(short) <= room ? short : "");
      };
      var side = function (which) {
        return rows.map(function (p) {
          var item = { value: p[which + "Share"] === null ? 0 : p[which + "Share"], name: p[which],
            count: p[which + "Value"], share: p[which + "Share"] };
          item.text = fitting(item);
          item.label = { show: Boolean(item.text) };
          return item;
        });
      };
      var more = side("more"), less = side("less");
      var text = function (p) { return p.data.text; };
      el.style.height = Math.max(160, rows.length * 52 + 52) + "px";
      draw(el, {
        tooltip: tooltip({ trigger: "item", formatter: function (p) {
          var item = [more, less][p.seriesIndex][p.dataIndex];
          return fold(el, rows[p.dataIndex].label) + "\n" + item.name + " " + item.count + "（" + withUnit(item.share, "%") + "）";
        } }),
        grid: { left: width + 16, right: 30, top: 10, bottom: 30 },
        xAxis: { type: "value", max: 100, splitNumber: el.clientWidth < NARROW ? 2 : 5, axisLabel: { formatter: "{value}%" } },
        yAxis: categoryAxis(names, width, { inverse: true }),
        series: [
          { name: "多", type: "bar", stack: "share", barMaxWidth: 32, data: more, label: { formatter: text } },
          { name: "少", type: "bar", stack: "share", barMaxWidth: 32, data: less, label: { formatter: text } },
        ],
      }, names);
    },
  };

  // Every chart is drawn for the width it has; when that changes (a phone turned, a window resized) it is
  // drawn again, since how its labels are laid out depends on it.
  function drawAll(onlyResized) {
    charts.forEach(function (chart) {
      if (onlyResized && chart.el.clientWidth === chart.width) return;
      chart.width = chart.el.clientWidth;
      chart.drawer(chart.el, chart.data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var drawer = DRAWERS[el.dataset.chart];
      var data = source(el.dataset.source);
      if (drawer && data) charts.push({ el: el, drawer: drawer, data: data });
    });
    drawAll(false);
    if (charts.length) {
      var pending = null;
      window.addEventListener("resize", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { drawAll(true); }, 150);
      });
    }
  });
})();
