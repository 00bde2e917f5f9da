// Accounts receivable charts, drawn from the JSON beside them; each chart has
// a table with the same numbers (the accessible version, with the links).
(function () {
  if (typeof Chart === "undefined") return;
  var source = document.getElementById("receivables-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var money = { y: { beginAtZero: true } };
  var configs = {
    aging: {
      type: "bar",
      data: {
        labels: data.buckets,
        datasets: data.aging.map(function (row) {
          return { label: row.label, data: row.data };
        }),
      },
      options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    },
    denials: {
      type: "bar",
      data: { labels: data.denial_codes, datasets: [{ label: "Denied", data: data.denial_amounts }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: money },
    },
    collections: {
      type: "bar",
      data: {
        labels: data.months,
        datasets: [
          { label: "Payer payments", data: data.payer_payments },
          { label: "Client payments", data: data.client_payments },
        ],
      },
      options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    },
  };
  document.querySelectorAll("canvas.ar-chart").forEach(function (canvas) {
    var config = configs[canvas.dataset.chart];
    if (config) new Chart(canvas, config);
  });
})();
