/* 领导驾驶舱 and 数据大屏 (reports/dashboard.html, reports/screen.html): ECharts drawn from the json_script element
   named by data-source (the numbers come from the server, reports.dashboard.build); the street map registered from
   the GeoJSON the project ships (fetched from data-geojson; its 404 shows data-missing instead). A number or a map
   region with a "url" opens the records behind it. The CSP allows no inline script or style: everything is here,
   and the tooltips are drawn on the canvas (renderMode "richText").

   Kinds (data-dash-chart) and what data-key names in the data:
     pie              [{name, value, url}]
     bars             [{name, value, url}] as horizontal bars (a "%" figure's axis runs to 100)
     trend            a list of numbers, one per data.months (bars)
     trend-appeals    {months, received, closed, satisfaction}: two bars and a line (满意率, %)
     trend-trainings  "events.trainings": bars with data["events.training_attendance"] as a line (人次)
     gauge            data.gauges[key]: {name, value, target, targetText, gapText, missing, url}
     funnel           [{name, value, url}]
     map              [{name, value, url}] per street, the map's regions matched by name

   On the screen (#screen) the 1920×1080 canvas is scaled to the window, a 全屏 button asks for the full screen,
   and every data-refresh seconds the canvas's body is fetched again and redrawn in place. */
(function () {
  "use strict";
  var LIGHT = { text: "#303133", muted: "#909399", line: "#ebeef5", colors: ["#c0392b", "#409eff", "#e6a23c", "#67c23a", "#909399"] };
  var DARK = { text: "#e6f1ff", muted: "#8fa8c8", line: "rgba(143,168,200,.25)", colors: ["#3ba0ff", "#36cfc9", "#ffc53d", "#ff7a45", "#9254de"] };
  var TOOLTIP = { renderMode: "richText", confine: true };
  var instances = [];

  function theme() {
    return document.getElementById("screen") ? DARK : LIGHT;
  }

  function readData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function value(v, unit) {
    return v === null || v === undefined ? "无数据" : v + (unit || "");
  }

  function open(params) {
    var url = params && params.data && params.data.url;
    if (url) window.location.href = url;
  }

  function init(el, option) {
    var old = window.echarts.getInstanceByDom(el);
    if (old) old.dispose();
    var t = theme();
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ color: t.colors, animation: false, backgroundColor: "transparent",
      textStyle: { fontFamily: "inherit", color: t.text } }, option));
    chart.on("click", open);
    instances.push(chart);
    return chart;
  }

  function axis(t, extra) {
    return Object.assign({ axisLine: { lineStyle: { color: t.muted } }, axisLabel: { color: t.text },
      splitLine: { lineStyle: { color: t.line } } }, extra);
  }

  function legend(t) {
    return { top: 0, textStyle: { color: t.text } };
  }

  var DRAWERS = {
    pie: function (el, items) {
      var t = theme();
      init(el, {
        tooltip: Object.assign({ trigger: "item", formatter: "{b}：{c}（{d}%）" }, TOOLTIP),
        legend: Object.assign(legend(t), { top: "auto", bottom: 0 }),
        series: [{ type: "pie", radius: ["40%", "66%"], center: ["50%", "45%"], data: items,
          label: { color: t.text, formatter: "{b}\n{c}" } }],
      });
    },

    bars: function (el, items) {
      var t = theme();
      var names = items.map(function (i) { return i.name; });
      var percent = el.closest("#dash-structure, #screen-dash-structure") !== null;
      el.style.height = Math.max(140, items.length * 36 + 40) + "px";
      init(el, {
        tooltip: Object.assign({ trigger: "item", formatter: function (p) { return p.name + "：" + value(p.value, percent ? "%" : ""); } }, TOOLTIP),
        grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
        xAxis: axis(t, percent ? { type: "value", min: 0, max: 100 } : { type: "value", minInterval: 1 }),
        yAxis: axis(t, { type: "category", data: names, inverse: true }),
        series: [{ type: "bar", barMaxWidth: 20, data: items,
          label: { show: true, position: "right", color: t.text, formatter: function (p) { return value(p.value, percent ? "%" : ""); } } }],
      });
    },

    trend: function (el, numbers, data) {
      var t = theme();
      init(el, {
        tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
        grid: { left: 40, right: 16, top: 20, bottom: 28 },
        xAxis: axis(t, { type: "category", data: data.months }),
        yAxis: axis(t, { type: "value", minInterval: 1 }),
        series: [{ type: "bar", barMaxWidth: 28, data: numbers, name: el.getAttribute("aria-label") }],
      });
    },

    "trend-appeals": function (el, rows) {
      var t = theme();
      init(el, {
        tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
        legend: legend(t),
        grid: { left: 44, right: 48, top: 40, bottom: 28 },
        xAxis: axis(t, { type: "category", data: rows.months }),
        yAxis: [axis(t, { type: "value", name: "件", minInterval: 1 }),
          axis(t, { type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } })],
        series: [{ name: "诉求量", type: "bar", barMaxWidth: 24, data: rows.received },
          { name: "办结量", type: "bar", barMaxWidth: 24, data: rows.closed },
          { name: "满意率（%）", type: "line", yAxisIndex: 1, data: rows.satisfaction, connectNulls: false }],
      });
    },

    "trend-trainings": function (el, sessions, data) {
      var t = theme();
      init(el, {
        tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
        legend: legend(t),
        grid: { left: 40, right: 48, top: 40, bottom: 28 },
        xAxis: axis(t, { type: "category", data: data.months }),
        yAxis: [axis(t, { type: "value", name: "场", minInterval: 1 }),
          axis(t, { type: "value", name: "人次", minInterval: 1, splitLine: { show: false } })],
        series: [{ name: "培训场次", type: "bar", barMaxWidth: 24, data: sessions },
          { name: "培训人次", type: "line", yAxisIndex: 1, data: data["events.training_attendance"] }],
      });
    },

    gauge: function (el, gauge) {
      var t = theme();
      init(el, {
        series: [{
          type: "gauge", min: 0, max: 100, radius: "88%", center: ["50%", "58%"], startAngle: 200, endAngle: -20,
          progress: { show: gauge.value !== null, width: 14 },
          axisLine: { lineStyle: { width: 14, color: [[1, t.line]] } },
          axisTick: { show: false }, splitLine: { length: 8, lineStyle: { color: t.muted } },
          axisLabel: { color: t.muted, distance: 18, fontSize: 10 },
          pointer: { show: false },
          title: { offsetCenter: [0, "38%"], color: t.muted, fontSize: 12 },
          detail: { offsetCenter: [0, "0%"], color: t.text, fontSize: 26, fontWeight: "bold",
            formatter: function (v) { return gauge.value === null ? "无数据" : v + "%"; } },
          data: [{ value: gauge.value === null ? 0 : gauge.value, name: [gauge.targetText, gauge.gapText].filter(Boolean).join(" · ") || "未设目标", url: gauge.url }],
        }].concat(gauge.target === null ? [] : [{
          // the target as a tick on the dial
          type: "gauge", min: 0, max: 100, radius: "88%", center: ["50%", "58%"], startAngle: 200, endAngle: -20,
          axisLine: { show: false }, axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false },
          pointer: { show: true, length: "22%", width: 4, offsetCenter: [0, "-70%"], itemStyle: { color: t.colors[2] } },
          detail: { show: false }, title: { show: false }, data: [{ value: Math.min(gauge.target, 100) }],
        }]),
      });
      if (gauge.missing) el.title = gauge.missing;
    },

    funnel: function (el, items) {
      var t = theme();
      init(el, {
        // A stage with no data is drawn at the smallest width but labelled "无数据" (its own value), never 0.
        tooltip: Object.assign({ trigger: "item", formatter: function (p) { return p.name + "：" + value(p.data.shown); } }, TOOLTIP),
        series: [{ type: "funnel", left: "8%", width: "84%", top: 8, bottom: 8, sort: "none", minSize: "20%", gap: 2,
          label: { position: "inside", color: "#fff", formatter: function (p) { return p.name + " " + value(p.data.shown); } },
          data: items.map(function (i) { return { name: i.name, value: i.value === null ? 0 : i.value, shown: i.value, url: i.url }; }) }],
      });
    },

    map: function (el, streets) {
      var t = theme();
      var name = el.dataset.mapName;
      fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(el.dataset.missing);
          return response.json();
        })
        .then(function (geojson) {
          window.echarts.registerMap(name, geojson);
          var max = streets.reduce(function (m, s) { return Math.max(m, s.value); }, 0);
          init(el, {
            tooltip: Object.assign({ trigger: "item", formatter: function (p) { return p.name + "：" + (p.value >= 0 ? p.value + " 家" : "0 家"); } }, TOOLTIP),
            visualMap: { min: 0, max: Math.max(1, max), left: 8, bottom: 8, calculable: false, itemHeight: 90,
              text: ["多", "少"], textStyle: { color: t.text }, inRange: { color: [t === DARK ? "#12355b" : "#fdf0ee", t.colors[0]] } },
            series: [{ type: "map", map: name, roam: false, data: streets, selectedMode: false,
              label: { show: true, color: t.text, fontSize: 11 },
              itemStyle: { borderColor: t === DARK ? "#0b1a2e" : "#fff", borderWidth: 1 },
              emphasis: { label: { color: t.text }, itemStyle: { areaColor: t.colors[2] } } }],
          });
        })
        .catch(function (error) {
          el.classList.add("dash-chart-missing");
          el.textContent = error.message || el.dataset.missing;
        });
    },
  };

  function drawAll(root) {
    instances.forEach(function (chart) { chart.dispose(); });
    instances = [];
    if (!window.echarts) return;
    root.querySelectorAll("[data-dash-chart]").forEach(function (el) {
      var data = readData(el.dataset.source);
      var drawer = DRAWERS[el.dataset.dashChart];
      if (!data || !drawer) return;
      var key = el.dataset.key;
      var part = el.dataset.dashChart === "gauge" ? (data.gauges || {})[key] : data[key];
      if (part === undefined || part === null) return;
      drawer(el, part, data);
    });
  }

  // --- the screen: scaled canvas, full screen, refresh in place ---------------------------------------------
  var WIDTH = 1920, HEIGHT = 1080;

  function scale(screen) {
    var canvas = document.getElementById("screen-canvas");
    var factor = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    canvas.style.transform = "scale(" + factor + ")";
    canvas.style.left = Math.max(0, (window.innerWidth - WIDTH * factor) / 2) + "px";
    canvas.style.top = Math.max(0, (window.innerHeight - HEIGHT * factor) / 2) + "px";
    screen.dataset.scale = factor.toFixed(3);
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return; // kept as it is; tried again next time
        var page = new DOMParser().parseFromString(html, "text/html");
        var body = page.getElementById("screen-body");
        var updated = page.getElementById("screen-updated");
        if (!body) return;
        document.getElementById("screen-body").replaceWith(document.adoptNode(body));
        if (updated) document.getElementById("screen-updated").textContent = updated.textContent;
        drawAll(document);
      })
      .catch(function () { /* offline for a moment: the numbers stay until the next refresh */ });
  }

  function setUpScreen(screen) {
    scale(screen);
    window.addEventListener("resize", function () { scale(screen); });
    var button = document.getElementById("screen-fullscreen");
    button.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () {
      button.textContent = document.fullscreenElement ? "退出全屏" : "全屏";
    });
    var seconds = Number(screen.dataset.refresh) || 300;
    window.setInterval(refresh, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var screen = document.getElementById("screen");
    if (screen) setUpScreen(screen);
    drawAll(document);
    if (!screen) {
      var pending = null;
      window.addEventListener("resize", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { instances.forEach(function (chart) { chart.resize(); }); }, 150);
      });
    }
  });
})();
