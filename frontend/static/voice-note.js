// Record a voice note in the browser (MediaRecorder) and put it in the page's file field, so it is
// sent with the form exactly like a chosen file. Without this script the file field still works.
(function () {
  "use strict";
  var box = document.querySelector("[data-voice-note]");
  if (!box) return;
  var input = box.querySelector("input[type=file]");
  var controls = box.querySelector("[data-voice-controls]");
  var maxMs = (parseInt(box.getAttribute("data-max-seconds"), 10) || 60) * 1000;
  var status = document.createElement("p");
  status.className = "voice-note__status";
  status.setAttribute("role", "status");
  var canRecord = window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia &&
    window.DataTransfer;
  if (!canRecord) {
    status.textContent = box.getAttribute("data-unavailable");
    controls.appendChild(status);
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary voice-note__record";
  button.textContent = box.getAttribute("data-record");
  controls.appendChild(button);
  controls.appendChild(status);

  var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
  var recorder = null, chunks = [], timer = null;

  function pickType() {
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(types[i])) return types[i];
    }
    return "";
  }

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  button.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { stop(); return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = pickType();
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      chunks = [];
      recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) chunks.push(e.data); });
      recorder.addEventListener("stop", function () {
        clearTimeout(timer);
        stream.getTracks().forEach(function (t) { t.stop(); });
        var mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
        var ext = mime === "audio/ogg" ? "ogg" : mime === "audio/mp4" ? "m4a" : "webm";
        var file = new File(chunks, "voice-note." + ext, { type: mime });
        var files = new DataTransfer();
        files.items.add(file);
        input.files = files.files;
        button.textContent = box.getAttribute("data-record");
        status.textContent = box.getAttribute("data-recorded");
      });
      recorder.start(1000);
      timer = setTimeout(stop, maxMs);
      button.textContent = box.getAttribute("data-stop");
      status.textContent = box.getAttribute("data-recording");
    }).catch(function () {
      status.textContent = box.getAttribute("data-unavailable");
    });
  });
})();
