/* Shanglian UI behaviour. Alpine's CSP build is used, so components are registered here (no inline
   expressions are evaluated) and the page needs no 'unsafe-eval'. */
document.addEventListener("alpine:init", function () {
  /* The shell: on a desk the navigation is a column that ☰ folds away (remembered); below 768 px it is
     a drawer, closed when a page opens, that ☰ opens and a tap outside closes. */
  window.Alpine.data("shell", function () {
    var narrow = window.matchMedia("(max-width: 767px)");
    return {
      narrow: narrow.matches,
      collapsed: window.localStorage.getItem("sl-nav-collapsed") === "1",
      drawerOpen: false,
      init: function () {
        var self = this;
        narrow.addEventListener("change", function (event) {
          self.narrow = event.matches;
          self.drawerOpen = false;
        });
      },
      toggle: function () {
        if (this.narrow) {
          this.drawerOpen = !this.drawerOpen;
          return;
        }
        this.collapsed = !this.collapsed;
        window.localStorage.setItem("sl-nav-collapsed", this.collapsed ? "1" : "0");
      },
      close: function () {
        this.drawerOpen = false;
      },
      get sidebarClass() {
        if (this.narrow) {
          return this.drawerOpen ? "open" : "";
        }
        return this.collapsed ? "collapsed" : "";
      },
      get backdropClass() {
        return this.narrow && this.drawerOpen ? "open" : "";
      },
      get expanded() {
        return String(this.narrow ? this.drawerOpen : !this.collapsed);
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
