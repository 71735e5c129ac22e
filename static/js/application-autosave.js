// Autosave of an application draft: posts the form to its save endpoint a
// moment after the user stops typing. Without JavaScript the "Save draft"
// button does the same.
//
// The endpoint saves every field it can read and names the others by field
// name (`fields`): each problem is shown beside its field, in the design
// system's error style, and taken away once the field is in order
// (`valid`). Nothing typed is ever cleared: the form keeps what the user
// wrote, saved or not.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var notSaved = form.getAttribute("data-autosave-failed") || "";
  var errorPrefix = form.getAttribute("data-error-prefix") || "";
  var timer = null;

  function groupOf(name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? { input: input, group: input.closest(".govuk-form-group") } : null;
  }

  function describedBy(input, id, add) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (add) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  // The id the page's own error messages have (forms/error_message.html).
  function errorId(name) {
    return "id_" + name + "_error";
  }

  function showProblem(name, messages) {
    var found = groupOf(name);
    if (!found || !found.group) return;
    var id = errorId(name);
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("p");
      box.className = "govuk-error-message";
      box.id = id;
      var before = found.group.querySelector(".govuk-checkboxes, .govuk-radios") || found.input;
      before.parentNode.insertBefore(box, before);
    }
    box.textContent = "";
    messages.forEach(function (text, index) {
      if (index) box.appendChild(document.createElement("br"));
      var hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = errorPrefix + " ";
      box.appendChild(hidden);
      box.appendChild(document.createTextNode(text));
    });
    found.group.classList.add("govuk-form-group--error");
    if (found.input.classList.contains("govuk-input")) found.input.classList.add("govuk-input--error");
    if (found.input.classList.contains("govuk-textarea")) found.input.classList.add("govuk-textarea--error");
    describedBy(found.group.querySelector("fieldset") || found.input, id, true);
  }

  function clearProblem(name) {
    var found = groupOf(name);
    if (!found || !found.group) return;
    var id = errorId(name);
    var box = document.getElementById(id);
    if (box) box.parentNode.removeChild(box);
    found.group.classList.remove("govuk-form-group--error");
    found.input.classList.remove("govuk-input--error", "govuk-textarea--error");
    describedBy(found.group.querySelector("fieldset") || found.input, id, false);
  }

  function save() {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        (result.valid || []).forEach(clearProblem);
        var fields = result.fields || {};
        Object.keys(fields).forEach(function (name) { showProblem(name, fields[name]); });
        if (!status) return;
        var text = result.saved ? [result.message] : [result.message].concat(result.errors || []);
        status.textContent = text.filter(Boolean).join(" ");
      })
      .catch(function () {
        // Not saved (offline, logged out): what was typed stays in the form.
        if (status) status.textContent = notSaved;
      });
  }

  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
