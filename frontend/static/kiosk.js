/* Heard's child tablet, enhanced. Without this file the kiosk still works (plain forms).
   - Each child's turn runs inside the practice page: answers live in memory only, the page never
     navigates, and the tablet resets after "All done!" or a minute without a touch.
   - Finished answers go to an outbox in IndexedDB first (with a submission id made here), then to
     the JSON API; a resend is harmless because the server stores each submission id once.
   - A service worker (/k/sw.js) keeps the kiosk's pages, questionnaire and pictures for offline use.
   - "For adults" asks for the session's PIN, checked here (PBKDF2, WebCrypto) so it works offline. */
(() => {
  "use strict";
  const root = document.querySelector("[data-kiosk]");
  if (!root) return;
  const token = root.dataset.token;
  const lang = document.documentElement.lang || "en";
  const $ = (sel, el) => (el || document).querySelector(sel);
  const $$ = (sel, el) => Array.from((el || document).querySelectorAll(sel));

  /* ---- The outbox: answers waiting to send, kept on the device. ---- */
  const openDb = () => new Promise((ok, fail) => {
    const r = indexedDB.open("heard-kiosk", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("outbox", { keyPath: "submission_id" });
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const store = (mode, work) => openDb().then((db) => new Promise((ok, fail) => {
    const t = db.transaction("outbox", mode);
    const req = work(t.objectStore("outbox"));
    t.oncomplete = () => { db.close(); ok(req && req.result); };
    t.onerror = t.onabort = () => { db.close(); fail(t.error); };
  }));
  const waiting = () => store("readonly", (s) => s.getAll()).catch(() => []);
  const keep = (entry) => store("readwrite", (s) => s.put(entry));
  const forget = (id) => store("readwrite", (s) => s.delete(id));

  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  let sending = false;
  async function send() {
    if (sending) return;
    sending = true;
    try {
      for (const entry of (await waiting()).sort((a, b) => a.at - b.at)) { // oldest first
        let res;
        try {
          res = await fetch(`/api/v1/sessions/${entry.token}/responses`, {
            method: "POST", credentials: "omit", cache: "no-store",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ submission_id: entry.submission_id, answers: entry.answers, language: entry.language }),
          });
        } catch (e) { break; } // offline: everything waits for the next try
        if (res.ok) await forget(entry.submission_id);
        else if (res.status >= 500 || res.status === 429) break;
        else { entry.refused = res.status; await keep(entry); } // the adult sees it and can remove it
      }
    } finally {
      sending = false;
      show();
    }
  }

  function plural(n) {
    const category = new Intl.PluralRules(lang).select(n);
    return (root.dataset["queue" + category[0].toUpperCase() + category.slice(1)] || root.dataset.queueOther || "").replace("{n}", n);
  }

  async function show() {
    const entries = await waiting();
    for (const el of $$("[data-queue-count]")) {
      el.textContent = entries.length ? plural(entries.length) : (el.dataset.queueNone || "");
      el.hidden = !el.textContent;
    }
    const list = $("[data-queue-list]");
    if (!list) return;
    list.replaceChildren(...entries.sort((a, b) => a.at - b.at).map((e) => {
      const li = document.createElement("li");
      const time = new Date(e.at).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
      li.textContent = (e.refused ? list.dataset.queueRefused : list.dataset.queueWaiting)
        .replace("{time}", time).replace("{status}", e.refused || "");
      return li;
    }));
    $("[data-queue-discard]").hidden = !entries.some((e) => e.refused);
  }

  /* ---- Offline: the service worker, and asking the browser to keep our storage. ---- */
  function offlineReady() {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().then(showStorage, () => {});
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/k/sw.js", { scope: "/k/" }).catch(() => {});
    navigator.serviceWorker.ready.then((reg) => {
      const assets = new Set([`/k/${token}`, `/k/${token}?lang=${lang}`, `/k/${token}/practice?lang=${lang}`,
        location.pathname + location.search, `/api/v1/sessions/${token}`]);
      for (const el of $$("link[rel=stylesheet], script[src]")) assets.add(el.getAttribute("href") || el.getAttribute("src"));
      for (const t of [document, ...$$("template").map((t) => t.content)]) {
        for (const img of $$("img[src]", t)) assets.add(img.getAttribute("src"));
        for (const el of $$("[data-audio]", t)) assets.add(el.dataset.audio);
      }
      if (reg.active) reg.active.postMessage({ keep: Array.from(assets) });
    });
  }
  function showStorage(persisted) {
    const el = $("[data-storage]");
    if (el) el.textContent = persisted ? el.dataset.storageYes : el.dataset.storageNo;
  }

  addEventListener("online", send);
  setInterval(() => { if (navigator.onLine) send(); }, 30000);
  offlineReady();
  send();

  /* ---- The adult's setup screen ---- */
  if (root.dataset.kiosk === "setup") {
    $("[data-outbox]").hidden = false;
    $("[data-queue-send]").addEventListener("click", send);
    $("[data-queue-discard]").addEventListener("click", async () => {
      for (const e of await waiting()) if (e.refused) await forget(e.submission_id);
      show();
    });
    if (navigator.storage && navigator.storage.persisted) navigator.storage.persisted().then(showStorage);
    // Starting replaces this screen in the history: a child's Back never lands on the adult's page.
    $("[data-kiosk-start]").addEventListener("click", (e) => {
      e.preventDefault();
      location.replace(e.currentTarget.href);
    });
    return;
  }

  /* ---- A child's turn ---- */
  const form = root;
  const screen = $("[data-screen]", form);
  const questions = Array.from($("template[data-questions]").content.children);
  const practice = screen.innerHTML;
  const caption = $("[data-caption]", form);
  const next = $("[data-next]", form);
  const back = $("[data-back]", form);
  const idleMs = Number(form.dataset.idle) * 1000;
  const doneMs = Number(form.dataset.done) * 1000;
  let index = -1; // -1: the practice question
  let answers = {};
  let timer = 0;

  function render(html, i) {
    stopSpeaking();
    index = i;
    screen.replaceChildren();
    screen.insertAdjacentHTML("afterbegin", html);
    const q = questions[i];
    if (q) for (const input of $$("input", screen)) input.checked = [].concat(answers[q.dataset.key] || []).includes(input.value);
    caption.textContent = i < 0 ? form.dataset.practice
      : form.dataset.of.replace("{n}", i + 1).replace("{total}", questions.length);
    next.textContent = i === questions.length - 1 ? form.dataset.finish : form.dataset.next;
    back.hidden = i < 0;
    form.hidden = false;
    speaker();
    const h = $("h1", screen);
    if (h) h.focus();
  }

  function reset() {
    clearTimeout(timer);
    answers = {};
    render(practice, -1);
    history.replaceState(null, "", location.pathname + location.search);
  }

  function idle() {
    clearTimeout(timer);
    timer = setTimeout(reset, index === questions.length ? doneMs : idleMs);
  }

  function chosen() {
    return $$("input:checked", screen).map((i) => i.value);
  }

  async function finish() {
    const entry = { submission_id: uuid(), token, answers, language: lang, at: Date.now() };
    answers = {};
    index = questions.length;
    form.hidden = true;
    const done = $("template[data-done]").content.cloneNode(true);
    screen.replaceChildren();
    form.after(done);
    const panel = form.nextElementSibling;
    const again = panel.nextElementSibling;
    again.addEventListener("click", () => { panel.remove(); again.remove(); reset(); });
    $("h1", panel).focus();
    speaker(panel);
    idle();
    try {
      await keep(entry);
    } catch (e) { // no IndexedDB (some private modes): send straight away, as the plain form would
      await fetch(`/api/v1/sessions/${token}/responses`, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ submission_id: entry.submission_id, answers: entry.answers, language: lang }) }).catch(() => {});
    }
    send();
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = questions[index];
    if (q) {
      const values = chosen();
      if (values.length) answers[q.dataset.key] = q.dataset.type === "multi" ? values : values[0];
      else delete answers[q.dataset.key];
      const goingBack = e.submitter && e.submitter.value === "back";
      if (!goingBack && !values.length && q.dataset.required) return missing();
      if (goingBack) return index === 0 ? render(practice, -1) : render(questions[index - 1].innerHTML, index - 1);
    }
    if (index + 1 < questions.length) render(questions[index + 1].innerHTML, index + 1);
    else finish();
  });

  function missing() {
    if ($(".error-message", screen)) return;
    const p = document.createElement("p");
    p.className = "error-message";
    p.setAttribute("role", "alert");
    p.textContent = form.dataset.missing;
    $(".kiosk-choices", screen).before(p);
  }

  for (const type of ["pointerdown", "keydown", "input"]) addEventListener(type, idle, { passive: true });
  addEventListener("pageshow", (e) => { if (e.persisted) reset(); });
  // Full screen needs a tap; the first one of each page asks for it.
  addEventListener("pointerdown", () => {
    const el = document.documentElement;
    if (!document.fullscreenElement && el.requestFullscreen) el.requestFullscreen().catch(() => {});
  }, { once: true });

  /* ---- Reading aloud: the device's voice, else the recorded clips (English defaults). ---- */
  const synth = window.speechSynthesis;
  const canPlayClips = !!document.createElement("audio").canPlayType('audio/ogg; codecs="opus"');
  let playing = null;
  const voice = () => synth && synth.getVoices().find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === lang);

  function stopSpeaking() {
    if (synth) synth.cancel();
    if (playing) { playing.pause(); playing = null; }
  }

  function speaker(container) {
    const where = container || screen;
    const button = $("[data-speak]", where) || (container && null);
    const parts = $$("[data-say]", where);
    const clips = parts.map((p) => p.dataset.audio);
    if (!button) return;
    button.hidden = !(voice() || (canPlayClips && clips.every(Boolean)));
    button.onclick = () => {
      stopSpeaking();
      const v = voice();
      if (v) {
        for (const p of parts) {
          const u = new SpeechSynthesisUtterance(p.textContent.trim());
          u.voice = v;
          u.lang = v.lang;
          u.rate = 0.9;
          synth.speak(u);
        }
        return;
      }
      let i = 0;
      const play = () => {
        if (i >= clips.length) { playing = null; return; }
        playing = new Audio(clips[i++]);
        playing.onended = play;
        playing.play().catch(() => { playing = null; });
      };
      play();
    };
  }
  if (synth) synth.addEventListener("voiceschanged", () => speaker());

  /* ---- "For adults": the PIN, then the setup screen. ---- */
  const pinScreen = $("[data-pin-screen]");
  const pinForm = $("form", pinScreen);
  const pinError = $("[data-pin-error]", pinScreen);
  let wrong = 0;
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));

  async function pinMatches(pin) {
    const [scheme, rounds, salt, expected] = (form.dataset.pin || "").split("$");
    if (scheme !== "pbkdf2-sha256" || !/^[0-9]{4,8}$/.test(pin)) return false;
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
    const salted = Uint8Array.from(atob(salt), (c) => c.charCodeAt(0));
    const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salted, iterations: Number(rounds) }, key, 256);
    return b64(bits) === expected;
  }

  function leave() {
    const go = () => location.replace(form.dataset.setup);
    if (document.fullscreenElement) document.exitFullscreen().then(go, go);
    else go();
  }

  $("[data-kiosk-exit]").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!form.dataset.pin) return leave();
    stopSpeaking();
    form.hidden = true;
    for (const el of $$(".kiosk-done, [data-again]")) el.hidden = true;
    pinScreen.hidden = false;
    pinError.hidden = true;
    $("#k-pin").value = "";
    $("h1", pinScreen).focus();
  });
  $("[data-pin-cancel]", pinScreen).addEventListener("click", () => {
    pinScreen.hidden = true;
    for (const el of $$(".kiosk-done, [data-again]")) el.remove();
    reset();
  });
  pinForm.addEventListener("submit", async (e) => {
    if (!(window.crypto && crypto.subtle)) return; // not a secure context: the server checks it
    e.preventDefault();
    if (wrong >= 5) return;
    if (await pinMatches($("#k-pin").value)) return leave();
    wrong += 1;
    if (wrong >= 5) setTimeout(() => { wrong = 0; }, 60000);
    pinError.hidden = false;
    $("#k-pin").value = "";
    $("#k-pin").focus();
  });

  speaker();
})();
