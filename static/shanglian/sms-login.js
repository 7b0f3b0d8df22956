/* 短信验证码登录: the 获取验证码 button waits out the resend interval (data-wait, in seconds, set by the
   server after a sending or a throttled request) disabled, with a countdown; a second tap while a sending
   is on its way is ignored. Without script the server's throttle still holds. */
(function () {
  function start(button) {
    var label = button.textContent;
    var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = left + " 秒后重新获取";
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
    var form = button.form;
    if (form) {
      form.addEventListener("submit", function (event) {
        if (event.submitter === button) {
          window.setTimeout(function () { button.disabled = true; button.textContent = "发送中…"; }, 0);
        }
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-sms-send]");
    for (var i = 0; i < buttons.length; i += 1) {
      start(buttons[i]);
    }
  });
})();
