// Draws each instrument's totals over time from the JSON data beside its
// canvas (json_script), so the page needs no inline script. The table next
// to each chart holds the same numbers for screen readers.
(function () {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas.score-chart").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.seriesId);
    if (!source) return;
    var series = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: series.labels,
        datasets: [{ label: "Total", data: series.totals, tension: 0.2, pointRadius: 3 }],
      },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
