// Autosave of a draft (a requisition, an application, a follow-up report):
// every form with `data-autosave-url` is posted to that endpoint a moment
// after the user stops typing. Without JavaScript the form's save button does
// the same.
//
// The endpoint (fordela/core/autosave.py) saves every valid field and names
// the others by field name (`fields`, name → the server's messages): each
// problem is shown beside its field in the design system's error style, and
// taken away once the field is in order (`valid`). Nothing typed is ever
// cleared: the form keeps what the user wrote, saved or not.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave-url]"), autosave);

  function autosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    var notSaved = form.getAttribute("data-autosave-failed") || "";
    var errorPrefix = form.getAttribute("data-error-prefix") || "";
    var timer = null;
    // A problem is taken away only where autosave showed it or the user has
    // changed the field since: a submission's error on a field left alone
    // (e.g. an empty contact person) stays until it is put right.
    var shown = {};
    var touched = {};

    function fieldOf(name) {
      var input = form.querySelector("[name='" + name + "']");
      if (!input) return null;
      var group = input.closest(".govuk-form-group");
      // Radios and checkbox lists: the fieldset is described, and the field's
      // id is its first option's without the option's number.
      var fieldset = group && group.querySelector("fieldset");
      return { input: input, group: group, described: fieldset || input,
               id: fieldset ? input.id.replace(/_\d+$/, "") : input.id };
    }

    function describedBy(input, id, add) {
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && x !== id;
      });
      if (add) ids.push(id);
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
    }

    // The id the page's own error messages have (templates/forms/error_message.html).
    function errorId(field) {
      return field.id + "_error";
    }

    function showProblem(name, messages) {
      var field = fieldOf(name);
      if (!field || !field.group) return;
      var id = errorId(field);
      var box = document.getElementById(id);
      if (!box) {
        box = document.createElement("p");
        box.className = "govuk-error-message";
        box.id = id;
        var before = field.group.querySelector(".govuk-checkboxes, .govuk-radios") || field.input;
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
      shown[name] = true;
      field.group.classList.add("govuk-form-group--error");
      if (field.input.classList.contains("govuk-input")) field.input.classList.add("govuk-input--error");
      if (field.input.classList.contains("govuk-textarea")) field.input.classList.add("govuk-textarea--error");
      describedBy(field.described, id, true);
    }

    function clearProblem(name) {
      if (!shown[name] && !touched[name]) return;
      delete shown[name];
      var field = fieldOf(name);
      if (!field || !field.group) return;
      var id = errorId(field);
      var box = document.getElementById(id);
      if (box) box.parentNode.removeChild(box);
      field.group.classList.remove("govuk-form-group--error");
      field.input.classList.remove("govuk-input--error", "govuk-textarea--error");
      describedBy(field.described, id, false);
    }

    function save() {
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      var data = new FormData(form);
      data.delete("action");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          (result.valid || []).forEach(clearProblem);
          var fields = result.fields || {};
          Object.keys(fields).forEach(function (name) { showProblem(name, fields[name]); });
          if (status) status.textContent = result.message || (result.errors || []).join(" ");
        })
        .catch(function () {
          // Not saved (offline, logged out): what was typed stays in the form.
          if (status) status.textContent = notSaved;
        });
    }

    function later(event) {
      if (event && event.target && event.target.name) touched[event.target.name] = true;
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, 1200);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }
})();
