// Program dashboard charts, drawn from the JSON beside them; every chart has
// a table with the same numbers for screen readers.
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("dashboard-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var common = { animation: false, responsive: true };
  var charts = {
    caseload: function (canvas) {
      return new Chart(canvas, {
        type: "bar",
        data: { labels: data.caseload_names, datasets: [{ label: "Active clients", data: data.caseload_totals }] },
        options: Object.assign({ indexAxis: "y", plugins: { legend: { display: false } } }, common),
      });
    },
    months: function (canvas) {
      return new Chart(canvas, {
        type: "line",
        data: {
          labels: data.months,
          datasets: [
            { label: "Admissions", data: data.admissions, tension: 0.2 },
            { label: "Discharges", data: data.discharges, tension: 0.2 },
          ],
        },
        options: common,
      });
    },
    attendance: function (canvas) {
      return new Chart(canvas, {
        type: "bar",
        data: { labels: data.attendance_tracks, datasets: [{ label: "Attendance %", data: data.attendance_rates }] },
        options: Object.assign({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, min: 0, max: 100, suggestedMax: 100 } } }, common),
      });
    },
    retention: function (canvas) {
      return new Chart(canvas, {
        type: "line",
        data: {
          labels: data.cohorts,
          datasets: ["30", "60", "90"].map(function (days) {
            return { label: days + " days", data: data.retention[days], spanGaps: true, tension: 0.2 };
          }),
        },
        options: Object.assign({ scales: { y: { beginAtZero: true, min: 0, max: 100, suggestedMax: 100 } } }, common),
      });
    },
  };
  document.querySelectorAll("canvas.dash-chart").forEach(function (canvas) {
    var make = charts[canvas.dataset.chart];
    if (make) make(canvas);
  });
})();
