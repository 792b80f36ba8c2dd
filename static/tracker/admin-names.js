// Names for the admin's form controls that Django's own markup leaves unnamed (axe-core: label,
// aria-input-field-name, aria-prohibited-attr), so screen readers announce what each control is:
// - the inputs of a tabular inline (a table whose column headers are not labels): "<column>, row N";
// - the date and time halves of a date-time field: "<field>: date", "<field>: time";
// - select2's combobox of an autocomplete field: the label of the select it stands for;
// - the filter widget's search icon carries an aria-label without a role: it becomes an image.
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "";
  }

  function hasName(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return true;
    if (control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]')) return true;
    return !!control.closest("label");
  }

  function fieldLabel(control) {
    const row = control.closest(".fieldBox, .form-row, .form-group");
    return row ? text(row.querySelector("label")) : "";
  }

  function nameControls(root) {
    root.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (control.type === "hidden" || hasName(control)) return;
      const cell = control.closest("td");
      const table = control.closest("table");
      if (cell && table && table.tHead) {
        const header = table.tHead.rows[0].cells[cell.cellIndex];
        const row = control.closest("tr");
        const number = Array.prototype.indexOf.call(row.parentNode.rows, row) + 1;
        const column = text(header) || (control.type === "checkbox" ? "Select" : control.name);
        control.setAttribute("aria-label", column + ", row " + number);
      } else if (control.classList.contains("vDateField")) {
        control.setAttribute("aria-label", (fieldLabel(control) || "Date") + ": date");
      } else if (control.classList.contains("vTimeField")) {
        control.setAttribute("aria-label", (fieldLabel(control) || "Time") + ": time");
      }
    });
    // select2 names its combobox by the text of what is chosen (aria-labelledby), which is empty until a
    // choice is made: the field's label comes first, then the choice.
    root.querySelectorAll('.select2-selection[role="combobox"]').forEach(function (combobox) {
      const container = combobox.closest(".select2");
      const select = container && container.previousElementSibling;
      const label = select && select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      const rendered = combobox.querySelector(".select2-selection__rendered");
      if (!label || !rendered || !rendered.id) return;
      if (!label.id) label.id = select.id + "-label";
      const names = label.id + " " + rendered.id;
      combobox.setAttribute("aria-labelledby", names);
      if (rendered.getAttribute("role")) rendered.setAttribute("aria-labelledby", names);
    });
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // The admin's widgets are built at different moments (select2 on jQuery's ready, inline rows on a click):
  // name what is there once the page is parsed, and again whenever elements are added.
  let scheduled = false;
  function nameSoon() {
    if (scheduled) return;
    scheduled = true;
    Promise.resolve().then(function () { scheduled = false; nameControls(document); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameControls(document);
    new MutationObserver(nameSoon).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", nameSoon);
})();
