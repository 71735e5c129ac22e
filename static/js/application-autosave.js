// Autosave of an application draft: posts the form to its save endpoint a
// moment after the user stops typing. Without JavaScript the "Save draft"
// button does the same.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var timer = null;

  function save() {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (status) status.textContent = result.saved ? result.message : (result.errors || []).join(" ");
      })
      .catch(function () { /* the button still works */ });
  }

  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
