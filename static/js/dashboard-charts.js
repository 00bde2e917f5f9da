// Program dashboard charts, drawn from the JSON beside them; every chart has
// a table with the same numbers for screen readers.
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("dashboard-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var percent = { y: { min: 0, max: 100, ticks: { stepSize: 20 } } };
  var configs = {
    caseload: {
      type: "bar",
      data: { labels: data.caseload_names, datasets: [{ label: "Active clients", data: data.caseload_totals }] },
      options: { animation: false, indexAxis: "y", plugins: { legend: { display: false } } },
    },
    months: {
      type: "line",
      data: {
        labels: data.months,
        datasets: [
          { label: "Admissions", data: data.admissions, tension: 0.2 },
          { label: "Discharges", data: data.discharges, tension: 0.2 },
        ],
      },
      options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    attendance: {
      type: "bar",
      data: { labels: data.attendance_tracks, datasets: [{ label: "Attendance %", data: data.attendance_rates }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: percent },
    },
    retention: {
      type: "line",
      data: {
        labels: data.cohorts,
        datasets: ["30", "60", "90"].map(function (days) {
          return { label: days + " days", data: data.retention[days], spanGaps: true, tension: 0.2 };
        }),
      },
      options: { animation: false, scales: percent },
    },
  };
  document.querySelectorAll("canvas.dash-chart").forEach(function (canvas) {
    var config = configs[canvas.dataset.chart];
    if (config) new Chart(canvas, config);
  });
})();
