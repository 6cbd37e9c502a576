// Draws every Vega-Lite chart on the page. A chart is a <figure data-chart="ID"> whose spec is in the JSON
// script element with that id (Django's json_script): no inline code, and the table beside it stays the
// accessible copy of the same numbers.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "sv";
  var locales = {
    sv: {
      number: {decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"]},
      time: {
        dateTime: "%A %e %B %Y %X", date: "%Y-%m-%d", time: "%H:%M:%S",
        periods: ["fm", "em"],
        days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                 "oktober", "november", "december"],
        shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
      }
    }
  };
  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var target = figure.querySelector(".chart-canvas");
    if (!source || !target || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var options = {actions: false, renderer: "svg"};
    if (locales[lang]) {
      options.formatLocale = locales[lang].number;
      options.timeFormatLocale = locales[lang].time;
    }
    vegaEmbed(target, spec, options).then(function (result) {
      // The drawing repeats the table beside it: hide it from screen readers, which read the table instead.
      var svg = target.querySelector("svg");
      if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
      figure.setAttribute("data-drawn", "true");
      result.view.addEventListener("click", function (event, item) {
        var href = item && item.datum && item.datum.href;
        if (href) { window.location.href = href; }
      });
    }).catch(function (error) {
      figure.setAttribute("data-error", String(error));
    });
  }
  function drawAll() { document.querySelectorAll("figure[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); }
  else { drawAll(); }
})();
