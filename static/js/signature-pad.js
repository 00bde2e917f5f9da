// The consent form's signature pad: drawing on the canvas fills the hidden
// signature_drawing field with a PNG data URL. Keyboard and screen-reader
// users sign by confirming their typed name instead (the other method).
(function () {
  document.querySelectorAll("[data-signature-pad]").forEach(function (pad) {
    var canvas = pad.querySelector("canvas");
    var field = pad.querySelector("input[name='signature_drawing']");
    var clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !field) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    context.lineWidth = 2;
    context.lineCap = "round";
    context.strokeStyle = "#111";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }

    function chooseDrawn() {
      var radio = document.querySelector("input[name='signature_method'][value='drawn']");
      if (radio) {
        radio.checked = true;
      }
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
    });
    function finish() {
      if (!drawing) {
        return;
      }
      drawing = false;
      field.value = canvas.toDataURL("image/png");
      chooseDrawn();
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        field.value = "";
      });
    }
  });
})();
