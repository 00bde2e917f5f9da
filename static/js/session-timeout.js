// Idle-logoff warning (DOMAIN.md section 10). One minute before the session's
// idle limit a dialog offers "Stay signed in"; at the limit the page goes to
// the sign-in page. The server's clock decides: before warning, the script
// asks how long the session has left (a background request that does not count
// as activity), so activity in another tab postpones the warning here.
(function () {
  "use strict";
  var root = document.getElementById("session-timeout");
  if (!root || !window.bootstrap || !window.fetch) {
    return;
  }
  var idleSeconds = parseInt(root.getAttribute("data-idle-seconds"), 10);
  var warnSeconds = parseInt(root.getAttribute("data-warn-seconds"), 10) || 60;
  var statusUrl = root.getAttribute("data-status-url");
  var keepaliveUrl = root.getAttribute("data-keepalive-url");
  var loginUrl = root.getAttribute("data-login-url");
  var countdown = root.querySelector("[data-session-countdown]");
  var stayButton = root.querySelector("[data-session-keepalive]");
  var modal = new window.bootstrap.Modal(root);
  var timer = null;
  var ticker = null;
  var deadline = 0;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function signIn() {
    var next = window.location.pathname + window.location.search;
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
  }

  // Ask the server; resolve with the seconds left, null once signed out (401),
  // or UNKNOWN when another layer answered (e.g. a server error): navigating
  // then would itself count as activity, so the script waits. A redirect of
  // the status check is the sign-in page's: the session is gone (ended on
  // another device, or the account deactivated), as the MFA step lets the
  // status check through.
  var UNKNOWN = -1;

  function ask(url, method) {
    var headers = { "X-Background-Request": method === "GET" ? "1" : "0", Accept: "application/json" };
    if (method !== "GET") {
      headers["X-CSRFToken"] = csrfToken();
    }
    return window
      .fetch(url, { method: method, headers: headers, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 401 || (method === "GET" && response.type === "opaqueredirect")) {
          return null;
        }
        if (!response.ok) {
          return UNKNOWN;
        }
        return response.json().then(function (body) {
          return body.seconds_left;
        });
      })
      .catch(function () {
        // Offline for a moment: assume nothing changed and look again soon.
        return Math.max(0, Math.round((deadline - Date.now()) / 1000));
      });
  }

  function schedule(secondsLeft) {
    window.clearTimeout(timer);
    deadline = Date.now() + secondsLeft * 1000;
    var wait = Math.max(0, secondsLeft - warnSeconds);
    timer = window.setTimeout(check, wait * 1000);
  }

  function check() {
    ask(statusUrl, "GET").then(function (secondsLeft) {
      if (secondsLeft === UNKNOWN) {
        hide();
        window.clearTimeout(timer);
        timer = window.setTimeout(check, warnSeconds * 1000);
      } else if (secondsLeft === null || secondsLeft <= 0) {
        signIn();
      } else if (secondsLeft > warnSeconds) {
        hide();
        schedule(secondsLeft);
      } else {
        warn(secondsLeft);
      }
    });
  }

  function warn(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    countdown.textContent = String(secondsLeft);
    if (!root.classList.contains("show")) {
      modal.show();
    }
    window.clearInterval(ticker);
    ticker = window.setInterval(function () {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      countdown.textContent = String(left);
      if (left <= 0) {
        window.clearInterval(ticker);
        // One second past the limit the server ends the session and says why.
        window.clearTimeout(timer);
        timer = window.setTimeout(check, 1000);
      }
    }, 1000);
  }

  function hide() {
    window.clearInterval(ticker);
    if (root.classList.contains("show")) {
      modal.hide();
    }
  }

  root.addEventListener("shown.bs.modal", function () {
    // Bootstrap sets role="dialog" when showing; this one needs an answer.
    root.setAttribute("role", "alertdialog");
    stayButton.focus();
  });

  stayButton.addEventListener("click", function () {
    ask(keepaliveUrl, "POST").then(function (secondsLeft) {
      if (secondsLeft === null) {
        signIn();
        return;
      }
      if (secondsLeft === UNKNOWN) {
        window.location.reload();
        return;
      }
      hide();
      schedule(secondsLeft);
    });
  });

  // This page's own request was activity: the full idle time is left.
  schedule(idleSeconds);
})();
