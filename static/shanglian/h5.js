/* Enterprise H5 pages. Alpine's CSP build: components are registered here, templates only name them.
   Loaded before Alpine (see templates/h5_base.html) so the alpine:init listener is in place. */
document.addEventListener("alpine:init", function () {
  /* The appeal form: the 维权 fields follow the chosen category (options of rights-case categories
     carry data-rights); the content counter follows the textarea. Without script both stay visible. */
  window.Alpine.data("h5AppealForm", function () {
    return {
      rights: false,
      contentLength: 0,
      init: function () {
        this.pickCategory();
        this.countContent();
      },
      pickCategory: function () {
        var select = this.$refs.category;
        var option = select && select.options[select.selectedIndex];
        this.rights = !!(option && option.hasAttribute("data-rights"));
      },
      countContent: function () {
        var area = this.$refs.content;
        this.contentLength = area ? area.value.length : 0;
      },
    };
  });

  /* The rating form: a comment is required for 不满意, so the label says so when it is picked. */
  window.Alpine.data("h5RatingForm", function () {
    return {
      unsatisfied: false,
      init: function () {
        this.pick();
      },
      pick: function () {
        var checked = this.$root.querySelector("input[name=rating]:checked");
        this.unsatisfied = !!(checked && checked.value === "unsatisfied");
      },
      get commentLabel() {
        return this.unsatisfied ? "不满意的原因（必填）" : "评价意见（选填）";
      },
    };
  });

  /* The survey form's skip logic: a question carrying data-show-if="q<id>" and data-show-if-option="<position>"
     shows only while that earlier question is shown with that option chosen (in document order, so a chain of
     conditions follows). The server applies the same rule (selectors.responses.visible_questions) and drops the
     answers of hidden questions; without script every question stays visible with its condition written. */
  window.Alpine.data("h5SurveyForm", function () {
    return {
      init: function () {
        this.apply();
      },
      apply: function () {
        var form = this.$root;
        var blocks = form.querySelectorAll("[data-show-if]");
        for (var i = 0; i < blocks.length; i++) {
          var block = blocks[i];
          var parent = form.querySelector('[data-question="' + block.getAttribute("data-show-if") + '"]');
          var option = block.getAttribute("data-show-if-option");
          block.hidden = !(parent && !parent.hidden &&
                           parent.querySelector('input[value="' + option + '"]:checked'));
        }
      },
    };
  });
});
