// The client chart's section navigation. Its links (?section=…) work
// without script: the page renders that section. Here a tab is shown in
// place, its section loaded once from its own URL (htmx: hx-trigger
// "chart:open once", carrying the page view's token), and the address
// updated so a reload or a shared link opens the same section. A link to
// #<section> opens it too.
(function () {
  var nav = document.querySelector("[data-chart-nav]");
  if (!nav) {
    return;
  }

  function show(key, remember) {
    var panel = document.querySelector("[data-chart-panel='" + CSS.escape(key) + "']");
    if (!panel) {
      return false;
    }
    document.querySelectorAll("[data-chart-panel]").forEach(function (each) {
      each.hidden = each !== panel;
    });
    nav.querySelectorAll("[data-chart-tab]").forEach(function (link) {
      var on = link.getAttribute("data-chart-tab") === key;
      link.classList.toggle("active", on);
      if (on) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (panel.hasAttribute("hx-get")) {
      htmx.trigger(panel, "chart:open");
    }
    if (remember) {
      var url = new URL(window.location.href);
      url.searchParams.set("section", key);
      url.hash = "";
      history.replaceState(null, "", url.toString());
    }
    return true;
  }

  nav.addEventListener("click", function (event) {
    var link = event.target.closest("[data-chart-tab]");
    // A new tab or window (modifier keys, middle button) follows the link.
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (show(link.getAttribute("data-chart-tab"), true)) {
      event.preventDefault();
    }
  });

  function fromHash() {
    var key = decodeURIComponent(window.location.hash.slice(1));
    if (key) {
      show(key, true);
    }
  }
  window.addEventListener("hashchange", fromHash);
  // After htmx has set up the page's elements (its own DOMContentLoaded
  // handler, registered first), or the opened tab would not load.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromHash);
  } else {
    fromHash();
  }
})();
