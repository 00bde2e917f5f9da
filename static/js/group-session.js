// Group session page: choosing a participation level starts an empty remark
// with that level's words, to be individualized (identical lines are flagged).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.classList || !select.classList.contains("participation")) return;
  var remark = document.getElementById(select.dataset.remark);
  if (!remark || remark.value.trim() !== "" || select.value === "") return;
  remark.value = select.options[select.selectedIndex].text + ": ";
  remark.focus();
  remark.setSelectionRange(remark.value.length, remark.value.length);
});
