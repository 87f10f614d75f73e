// Breakthrough's one shared script: autosave for long forms and a warning before leaving
// a form with unsaved changes. Pages work without it.
(function () {
  "use strict";

  function serialize(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function setupForm(form) {
    var saved = serialize(form);
    var status = form.querySelector(".autosave-status");
    var url = form.dataset.autosave;
    var timer = null;
    var submitting = false;
    var busy = false;

    function dirty() { return serialize(form) !== saved; }

    function autosave() {
      if (!url || busy || submitting || !dirty()) return;
      busy = true;
      var body = new FormData(form);
      var snapshot = serialize(form);
      if (status) status.textContent = "Saving draft…";
      fetch(url, { method: "POST", body: body, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (res.ok) {
            saved = snapshot;
            // A new record's first draft: later saves go to the record itself.
            if (res.data.action) form.action = res.data.action;
            if (res.data.autosave) url = res.data.autosave;
            // Hidden fields the server moved on (e.g. value revisions) follow the saved draft.
            if (res.data.fields) {
              var untouched = serialize(form) === snapshot;
              Object.keys(res.data.fields).forEach(function (name) {
                var input = form.querySelector('input[type=hidden][name="' + name + '"]');
                if (input) input.value = res.data.fields[name];
              });
              if (untouched) saved = serialize(form);
            }
            if (res.data.edit_version) {
              var v = form.querySelector("input[name=edit_version]");
              if (v) { v.value = res.data.edit_version; saved = serialize(form); }
            }
            if (status) status.textContent = res.data.message || "Draft saved.";
          } else if (status) {
            status.textContent = res.data.message || "The draft could not be saved; your text is still here.";
          }
        })
        .catch(function () { if (status) status.textContent = "Offline: the draft will be saved when the connection returns."; })
        .then(function () {
          busy = false;
          // A submit that waited for this draft goes now, to where the draft was saved.
          if (submitting) { form.submit(); }
        });
    }

    if (url) {
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(autosave, 1500);
      });
      setInterval(autosave, 30000);
    }
    form.addEventListener("submit", function (event) {
      submitting = true;
      clearTimeout(timer);
      if (busy) event.preventDefault();
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && dirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-autosave], form[data-warn-unsaved]").forEach(function (form) {
      if (!form.dataset.bound) { form.dataset.bound = "1"; setupForm(form); }
    });
    (root || document).querySelectorAll("[data-confirm]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.dataset.confirm)) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
