// Draws each instrument's scores over time from the JSON data beside its
// canvas (json_script), so the page needs no inline script: the total, or a
// line per composite where the instrument has composites (the BAM's use,
// risk and protective), each point's tooltip saying how it was answered
// (staff, self-report link, clinic tablet). The table next to each chart
// holds the same numbers and sources for screen readers. A canvas is drawn
// once, however many sections of the page load this script.
(function () {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas.score-chart").forEach(function (canvas) {
    if (canvas.dataset.drawn) return;
    var source = document.getElementById(canvas.dataset.seriesId);
    if (!source) return;
    canvas.dataset.drawn = "1";
    var series = JSON.parse(source.textContent);
    var composites = series.subscales || [];
    var datasets = composites.length
      ? composites.map(function (line) {
          return { label: line.label, data: line.values, tension: 0.2, pointRadius: 3 };
        })
      : [{ label: "Total", data: series.totals, tension: 0.2, pointRadius: 3 }];
    var sources = series.sources || [];
    new Chart(canvas, {
      type: "line",
      data: { labels: series.labels, datasets: datasets },
      options: {
        animation: false,
        plugins: {
          legend: { display: composites.length > 0 },
          tooltip: {
            callbacks: {
              afterLabel: function (item) {
                return sources[item.dataIndex] || "";
              },
            },
          },
        },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
