/* The print page of one record: its 打印 button opens the browser's print dialog (no inline handler: CSP). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
