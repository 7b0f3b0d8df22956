/* Pickers (shanglian/common/pickers.py): the autocomplete (enterprise, person), the GB/T 4754 industry
   tree and the checklist with search (departments). Everything is delegated from the document, so a
   picker that htmx swaps in works too; no inline script or handler (CSP). The fetching is htmx's
   (hx-get on the search boxes); this file keeps the chosen values and the keyboard. */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function visible(el) {
    return !el.closest("[hidden]") && el.offsetParent !== null;
  }

  function setValue(input, value) {
    if (input.value !== value) {
      input.value = value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  /* The search boxes carry no name (they are not submitted with the form): the query goes as ?q=. */
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-picker-search")) {
      event.detail.parameters.q = elt.value.trim();
    }
  });

  /* A click on plain text inside a picker must not be forwarded by an enclosing <label> (the list
     pages' search fields are labels) to the picker's first button. */
  document.addEventListener("click", function (event) {
    var picker = event.target.closest && event.target.closest("[data-picker]");
    if (picker && picker.closest("label") && !event.target.closest("button, input, a, label.checklist-option")) {
      event.preventDefault();
    }
  });

  /* --- Autocomplete ------------------------------------------------------------------------------ */
  function acParts(root) {
    return {
      value: root.querySelector("[data-picker-value]"),
      input: root.querySelector("[data-picker-search]"),
      list: root.querySelector(".picker-list"),
    };
  }

  function acOptions(root) {
    return Array.prototype.slice.call(root.querySelectorAll(".picker-list [role=option]"));
  }

  function acOpen(root, open) {
    var p = acParts(root);
    p.list.hidden = !open;
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      p.input.removeAttribute("aria-activedescendant");
    }
  }

  function acActiveIndex(root) {
    return acOptions(root).findIndex(function (o) {
      return o.getAttribute("aria-selected") === "true";
    });
  }

  function acSetActive(root, index) {
    var p = acParts(root);
    var options = acOptions(root);
    options.forEach(function (o, i) {
      o.setAttribute("aria-selected", i === index ? "true" : "false");
      o.classList.toggle("active", i === index);
    });
    if (options[index]) {
      p.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function acChoose(root, option) {
    var p = acParts(root);
    setValue(p.value, option.getAttribute("data-value"));
    p.input.value = option.getAttribute("data-label");
    root.classList.add("has-value");
    acOpen(root, false);
  }

  document.addEventListener("input", function (event) {
    var root = event.target.closest("[data-picker=autocomplete]");
    if (!root || !event.target.hasAttribute("data-picker-search")) {
      return;
    }
    var p = acParts(root);
    setValue(p.value, ""); // typing again un-chooses: only a match picked from the list is a value
    root.classList.remove("has-value");
    if (!p.input.value.trim()) {
      p.list.innerHTML = "";
      acOpen(root, false);
    }
  });

  document.addEventListener("keydown", function (event) {
    var root = event.target.closest && event.target.closest("[data-picker=autocomplete]");
    if (!root || !event.target.hasAttribute("data-picker-search")) {
      return;
    }
    var p = acParts(root);
    var options = acOptions(root);
    var index = acActiveIndex(root);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) {
        return;
      }
      event.preventDefault();
      acOpen(root, true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      acSetActive(root, (index + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      if (!p.list.hidden && options.length) {
        event.preventDefault(); // choosing, not submitting
        if (index >= 0) {
          acChoose(root, options[index]);
        } else if (options.length === 1) {
          acChoose(root, options[0]);
        } else {
          acSetActive(root, 0);
        }
      } else if (!p.value.value && p.input.value.trim()) {
        event.preventDefault(); // typed but not chosen: the list is still coming
      }
    } else if (event.key === "Escape" && !p.list.hidden) {
      event.preventDefault();
      acOpen(root, false);
    }
  });

  document.addEventListener("mousedown", function (event) {
    if (event.target.closest(".picker-list [role=option]")) {
      event.preventDefault(); // keep the focus in the search box
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker-list [role=option]");
    if (option) {
      acChoose(option.closest("[data-picker=autocomplete]"), option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var root = event.target.closest && event.target.closest("[data-picker=autocomplete]");
    if (root && !root.contains(event.relatedTarget)) {
      acOpen(root, false);
    }
  });

  /* --- Industry tree ----------------------------------------------------------------------------- */
  function indChosen(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-picker-chosen] .chip"), function (chip) {
      return chip.getAttribute("data-value");
    });
  }

  function indMark(root) {
    var chosen = indChosen(root);
    each(root.querySelectorAll("[data-pick]"), function (button) {
      var on = chosen.indexOf(button.getAttribute("data-pick")) >= 0;
      button.classList.toggle("is-chosen", on);
      button.setAttribute("aria-selected", on ? "true" : "false");
    });
    root.querySelector("[data-picker-none]").hidden = chosen.length > 0;
  }

  function indChip(root, code, label) {
    var chip = document.createElement("span");
    chip.className = "chip";
    chip.setAttribute("data-value", code);
    chip.appendChild(document.createTextNode(label));
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = root.getAttribute("data-name");
    hidden.value = code;
    chip.appendChild(hidden);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("data-picker-remove", "");
    remove.setAttribute("aria-label", "移除 " + label);
    remove.textContent = "×";
    chip.appendChild(remove);
    return chip;
  }

  function indChanged(root) {
    indMark(root);
    root.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function indOpen(root, open) {
    var panel = root.querySelector("[data-picker-panel]");
    var toggle = root.querySelector("[data-picker-toggle]");
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      indMark(root);
      root.querySelector("[data-picker-search]").focus();
    }
  }

  function indPick(root, button) {
    var code = button.getAttribute("data-pick");
    var box = root.querySelector("[data-picker-chosen]");
    var none = root.querySelector("[data-picker-none]");
    var existing = box.querySelector('.chip[data-value="' + code + '"]');
    if (root.getAttribute("data-multiple") === "1") {
      if (existing) {
        existing.remove();
      } else {
        box.insertBefore(indChip(root, code, button.getAttribute("data-label")), none);
      }
      indChanged(root);
      return;
    }
    each(box.querySelectorAll(".chip"), function (chip) {
      chip.remove();
    });
    box.insertBefore(indChip(root, code, button.getAttribute("data-label")), none);
    indChanged(root);
    indOpen(root, false);
    root.querySelector("[data-picker-toggle]").focus();
  }

  function indExpand(toggle, open) {
    var children = toggle.closest("li").querySelector(":scope > ul");
    if (children) {
      children.hidden = !open;
    }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = open ? "▾" : "▸";
  }

  document.addEventListener("click", function (event) {
    var root = event.target.closest("[data-picker=industry]");
    if (!root) {
      return;
    }
    var target = event.target;
    if (target.closest("[data-picker-toggle]")) {
      indOpen(root, root.querySelector("[data-picker-panel]").hidden);
    } else if (target.closest("[data-picker-close]")) {
      indOpen(root, false);
      root.querySelector("[data-picker-toggle]").focus();
    } else if (target.closest("[data-picker-remove]")) {
      target.closest(".chip").remove();
      indChanged(root);
    } else if (target.closest("[data-tree-toggle]")) {
      var toggle = target.closest("[data-tree-toggle]");
      indExpand(toggle, toggle.getAttribute("aria-expanded") !== "true");
    } else if (target.closest("[data-pick]")) {
      indPick(root, target.closest("[data-pick]"));
    }
  });

  document.addEventListener("input", function (event) {
    var root = event.target.closest("[data-picker=industry]");
    if (!root || !event.target.hasAttribute("data-picker-search")) {
      return;
    }
    var searching = event.target.value.trim() !== "";
    var results = root.querySelector("[data-picker-results]");
    results.hidden = !searching;
    root.querySelector("[data-picker-tree]").hidden = searching;
    if (!searching) {
      results.innerHTML = "";
    }
  });

  document.addEventListener("keydown", function (event) {
    var root = event.target.closest && event.target.closest("[data-picker=industry]");
    if (!root || !event.target.closest("[data-picker-panel]")) {
      return;
    }
    var panel = root.querySelector("[data-picker-panel]");
    var items = Array.prototype.filter.call(
      panel.querySelectorAll("[data-picker-search], [data-tree-toggle], [data-pick], [data-picker-close]"),
      visible,
    );
    var index = items.indexOf(event.target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = items[index + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        next.focus();
      }
    } else if (event.key === "ArrowRight" && event.target.hasAttribute("data-tree-toggle")) {
      event.preventDefault();
      if (event.target.getAttribute("aria-expanded") !== "true") {
        event.target.click();
      }
    } else if (event.key === "ArrowLeft" && event.target.hasAttribute("data-tree-toggle")) {
      event.preventDefault();
      indExpand(event.target, false);
    } else if (event.key === "Enter" && event.target.hasAttribute("data-picker-search")) {
      event.preventDefault(); // searching, not submitting the form
      if (items[index + 1]) {
        items[index + 1].focus();
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      indOpen(root, false);
      root.querySelector("[data-picker-toggle]").focus();
    }
  });

  /* --- Checklist --------------------------------------------------------------------------------- */
  function clSummary(root) {
    var names = [];
    each(root.querySelectorAll("input[type=checkbox]:checked"), function (box) {
      names.push(box.closest(".checklist-option").getAttribute("data-main"));
    });
    root.querySelector("[data-checklist-chosen]").textContent = names.length
      ? "已选 " + names.length + " 个：" + names.join("、")
      : "尚未选择";
  }

  function clFilter(root, term) {
    var shown = 0;
    each(root.querySelectorAll(".checklist-group"), function (group) {
      var inGroup = 0;
      each(group.querySelectorAll(".checklist-option"), function (option) {
        var match = !term || option.getAttribute("data-search").indexOf(term) >= 0;
        option.hidden = !match;
        inGroup += match ? 1 : 0;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    root.querySelector("[data-checklist-empty]").hidden = shown > 0;
  }

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-checklist-search")) {
      clFilter(event.target.closest("[data-picker=checklist]"), event.target.value.trim().toLowerCase());
    }
  });

  document.addEventListener("change", function (event) {
    var root = event.target.closest && event.target.closest("[data-picker=checklist]");
    if (root && event.target.type === "checkbox") {
      clSummary(root);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (!(event.target.hasAttribute && event.target.hasAttribute("data-checklist-search"))) {
      return;
    }
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault(); // to the first shown option, not submitting the form
      var root = event.target.closest("[data-picker=checklist]");
      var first = Array.prototype.find.call(root.querySelectorAll(".checklist-option input"), function (box) {
        return !box.closest("[hidden]");
      });
      if (first) {
        first.focus();
      }
    }
  });

  /* Ids for the autocomplete's options (aria-activedescendant), the tree's marks and the checklists'
     summaries, on the page and after every htmx swap. */
  function prepare(scope) {
    each(scope.querySelectorAll("[data-picker=checklist]"), clSummary);
    each(scope.querySelectorAll("[data-picker=industry]"), indMark);
  }

  document.addEventListener("DOMContentLoaded", function () {
    prepare(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var list = target.closest && target.closest(".picker-list");
    if (list) {
      var root = list.closest("[data-picker=autocomplete]");
      acOptions(root).forEach(function (option, i) {
        option.id = list.id + "-" + i;
      });
      var typed = acParts(root).input.value.trim() !== "";
      acOpen(root, typed && list.children.length > 0);
      return;
    }
    var industry = target.closest && target.closest("[data-picker=industry]");
    if (industry) {
      indMark(industry);
      return;
    }
    prepare(target);
  });
})();
