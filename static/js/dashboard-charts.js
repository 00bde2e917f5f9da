// Program dashboard charts, drawn from the JSON beside them; every chart has
// a table with the same numbers for screen readers (and keyboard users: the
// bars of the months chart open the same drill-downs as the table's links).
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("dashboard-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var percent = { y: { min: 0, max: 100, ticks: { stepSize: 20 } } };
  var configs = {
    caseload: {
      type: "bar",
      data: {
        labels: data.caseload_names,
        datasets: [
          { label: "Intensive", data: data.caseload_intensive },
          { label: "Aftercare", data: data.caseload_aftercare },
        ],
      },
      options: {
        animation: false,
        indexAxis: "y",
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    },
    months: {
      type: "bar",
      data: {
        labels: data.months,
        datasets: [
          { label: "Admissions", data: data.admissions, links: data.month_links.admitted },
          { label: "Discharges", data: data.discharges, links: data.month_links.discharged },
        ],
      },
      options: {
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        // A click on a month's bar opens the clients behind it.
        onClick: function (event, elements, chart) {
          if (!elements.length) return;
          var hit = elements[0];
          window.location.href = chart.data.datasets[hit.datasetIndex].links[hit.index];
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
      },
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
