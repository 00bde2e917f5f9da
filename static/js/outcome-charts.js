// Outcome dashboard charts, drawn from the JSON beside them; each chart has a
// table with the same numbers beside it (the accessible version).
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("outcome-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var configs = {
    improved: {
      type: "bar",
      data: { labels: data.improved_labels, datasets: [{ label: "%", data: data.improved_shares }] },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { min: 0, max: 100, ticks: { stepSize: 20 } } },
      },
    },
    bam_use: {
      type: "line",
      data: {
        labels: data.months,
        datasets: [{ label: "Mean BAM Use", data: data.bam_use, spanGaps: true, tension: 0.2 }],
      },
      options: { animation: false, scales: { y: { min: 0, max: 12 } } },
    },
  };
  document.querySelectorAll("canvas.outcome-chart").forEach(function (canvas) {
    var config = configs[canvas.dataset.chart];
    if (config) new Chart(canvas, config);
  });
})();
