/* Shanglian UI behaviour. Alpine's CSP build is used, so components are registered here (no inline
   expressions are evaluated) and the page needs no 'unsafe-eval'. */
document.addEventListener("alpine:init", function () {
  window.Alpine.data("shell", function () {
    return {
      collapsed: window.localStorage.getItem("sl-nav-collapsed") === "1",
      toggle: function () {
        this.collapsed = !this.collapsed;
        window.localStorage.setItem("sl-nav-collapsed", this.collapsed ? "1" : "0");
      },
      get sidebarClass() {
        return this.collapsed ? "collapsed" : "";
      },
    };
  });
  /* A button that shows or hides the panel after it (action forms such as 派单). */
  window.Alpine.data("disclosure", function () {
    return {
      open: false,
      init: function () {
        this.open = this.$el.getAttribute("data-open") === "1";
      },
      toggle: function () {
        this.open = !this.open;
      },
    };
  });
});

/* Destructive actions: any form with data-confirm asks first (是否确认删除…？). */
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
