/* QR check-in scanner (the door's page, the invitee's self check-in): camera preview and photo decoding with
   jsQR (static/vendor/jsqr/jsQR.js, loaded before this file). Declared by data attributes, no inline script
   (CSP); every element with data-qr-scanner on the page is a scanner.

   Markup (every part but the root optional):
     <div data-qr-scanner data-qr-form="#scan-form" data-qr-result="#scan-result">
       <video data-qr-video playsinline muted hidden></video>
       <button type="button" data-qr-start>打开摄像头扫码</button>
       <button type="button" data-qr-stop hidden>关闭摄像头</button>
       <input type="file" accept="image/*" capture="environment" data-qr-file>
       <p data-qr-status role="status" aria-live="polite"></p>
     </div>
     <form id="scan-form" method="post" action="…" data-qr-json>
       {% csrf_token %}<input name="payload"><input type="hidden" name="nonce"><button>提交</button>
     </form>

   Root attributes:
     data-qr-form     selector of the form a decoded text is posted with (default: the root's own form)
     data-qr-field    name of the form's input that takes the text (default "payload"); the nonce goes in
                      data-qr-nonce-field (default "nonce")
     data-qr-handler  name of a function registered in window.ShanglianQR.handlers: called with
                      (text, nonce, scanner) instead of posting the form
     data-qr-result   selector of the element that shows the server's answer (JSON mode)
     data-qr-repeat-ms  a code the camera keeps seeing is sent again only after it has been out of sight
                      this long (default 4000): one code is posted once, not ten times a second

   The form is posted as a normal form (the page reloads), or — when it has data-qr-json — with fetch,
   asking for JSON; the answer's `html` replaces the content of the data-qr-result element, each key of its
   `bind` object fills the elements with data-qr-bind="<key>" anywhere on the page, and the root receives a
   `qr:answer` event (detail: the JSON). Before posting, the root receives a cancelable `qr:decoded` event
   (detail: {text, nonce, source}).

   In JSON mode the form's own submit (text typed, or typed by a hand-held scanner that ends with Enter) is
   sent the same way, and the box is emptied for the next code.

   Every scan carries a fresh nonce (crypto.randomUUID): the server answers a nonce it has seen with its first
   answer and counts nothing again. A post left without a JSON answer (the network, an error page) keeps its
   nonce, and 重试 sends the same scan again, so an upload that did arrive is recognised. */
(function () {
  "use strict";

  var FRAME_EVERY_MS = 120; // decode about eight frames a second
  var FRAME_MAX_SIDE = 720; // camera frames are scaled down to this before decoding
  var PHOTO_SIDES = [1024, 2048]; // a photo is tried at these sizes (small first: fast, and enough for a screen)

  var handlers = {};

  function nonce() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      return c.randomUUID();
    }
    // randomUUID needs a secure context; getRandomValues does not. A version-4 UUID from 16 random bytes.
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function decode(canvas, context, source, width, height, inversion) {
    var scale = Math.min(1, Math.max(width, height) > 0 ? FRAME_MAX_SIDE / Math.max(width, height) : 1);
    return decodeAt(canvas, context, source, width, height, scale, inversion);
  }

  function decodeAt(canvas, context, source, width, height, scale, inversion) {
    var w = Math.max(1, Math.round(width * scale));
    var h = Math.max(1, Math.round(height * scale));
    canvas.width = w;
    canvas.height = h;
    context.drawImage(source, 0, 0, w, h);
    var image = context.getImageData(0, 0, w, h);
    var found = window.jsQR(image.data, w, h, { inversionAttempts: inversion });
    return found && found.data ? found.data : null;
  }

  function Scanner(root) {
    this.root = root;
    this.form = root.getAttribute("data-qr-form") ? document.querySelector(root.getAttribute("data-qr-form"))
      : root.closest("form") || root.querySelector("form");
    this.field = root.getAttribute("data-qr-field") || "payload";
    this.nonceField = root.getAttribute("data-qr-nonce-field") || "nonce";
    this.handler = root.getAttribute("data-qr-handler") || "";
    this.result = root.getAttribute("data-qr-result") ? document.querySelector(root.getAttribute("data-qr-result")) : null;
    this.repeatMs = parseInt(root.getAttribute("data-qr-repeat-ms") || "4000", 10) || 4000;
    this.video = root.querySelector("[data-qr-video]");
    this.startButton = root.querySelector("[data-qr-start]");
    this.stopButton = root.querySelector("[data-qr-stop]");
    this.fileInput = root.querySelector("[data-qr-file]");
    this.statusEl = root.querySelector("[data-qr-status]");
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
    this.stream = null;
    this.timer = null;
    this.busy = false;
    this.lastText = "";
    this.lastSeen = 0;
    this.pending = null; // {text, nonce, source} of a post that failed on the network
    this.canStream = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
    this.bind();
  }

  Scanner.prototype.status = function (text, level) {
    if (!this.statusEl) {
      return;
    }
    this.statusEl.textContent = text || "";
    this.statusEl.setAttribute("data-level", level || "");
  };

  Scanner.prototype.bind = function () {
    var self = this;
    if (typeof window.jsQR !== "function") {
      this.status("扫码组件未能加载，请刷新页面后重试。", "error");
      return;
    }
    if (this.startButton) {
      if (!this.canStream) {
        // Camera access needs HTTPS (or localhost): a photo taken with the phone's camera app still works.
        this.startButton.hidden = true;
        this.status("当前连接下网页不能直接打开摄像头：请点“拍照识别”，用手机相机拍下二维码。");
      }
      this.startButton.addEventListener("click", function () {
        self.start();
      });
    }
    if (this.stopButton) {
      this.stopButton.addEventListener("click", function () {
        self.stop();
      });
    }
    if (this.fileInput) {
      this.fileInput.addEventListener("change", function () {
        var file = self.fileInput.files && self.fileInput.files[0];
        if (file) {
          self.readPhoto(file);
        }
      });
    }
    this.root.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("[data-qr-retry]") && self.pending) {
        var p = self.pending;
        self.pending = null;
        self.send(p.text, p.nonce, p.source);
      }
    });
    // In JSON mode the form's own submit (its text typed, or typed by a hand-held scanner ending with Enter)
    // goes the same way as a camera scan: fetch, a fresh nonce, the answer shown in place; the box is emptied
    // and keeps the focus for the next code.
    if (this.form && this.form.hasAttribute("data-qr-json")) {
      this.form.addEventListener("submit", function (event) {
        var input = self.form.elements.namedItem(self.field);
        var text = input ? input.value.trim() : "";
        event.preventDefault();
        if (!text) {
          self.status("请扫描或输入二维码内容。", "error");
          return;
        }
        if (self.busy) {
          self.status("正在提交上一次扫描，请稍候…");
          return;
        }
        input.value = "";
        input.focus();
        self.send(text, nonce(), "keyboard");
      });
    }
    // A camera left on in a background tab keeps the phone's light on and drains it.
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        self.stop();
      }
    });
    window.addEventListener("pagehide", function () {
      self.stop();
    });
  };

  /* --- the camera -------------------------------------------------------------------------------------- */
  Scanner.prototype.start = function () {
    var self = this;
    if (this.stream || !this.video) {
      return;
    }
    if (!this.canStream) {
      this.status("当前连接下网页不能直接打开摄像头：请点“拍照识别”，用手机相机拍下二维码。", "error");
      return;
    }
    this.status("正在打开摄像头…");
    navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" } } })
      .then(function (stream) {
        self.stream = stream;
        self.video.srcObject = stream;
        self.video.hidden = false;
        self.root.classList.add("qr-scanning");
        if (self.startButton) {
          self.startButton.hidden = true;
        }
        if (self.stopButton) {
          self.stopButton.hidden = false;
        }
        return self.video.play();
      })
      .then(function () {
        self.status("请将二维码置于取景框内");
        self.tick();
      })
      .catch(function (error) {
        self.stop();
        var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
        self.status(denied ? "未获得摄像头权限：请在浏览器设置中允许使用摄像头，或使用“拍照识别”。"
          : "无法打开摄像头，请使用“拍照识别”。", "error");
      });
  };

  Scanner.prototype.stop = function () {
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) {
        track.stop();
      });
      this.stream = null;
    }
    if (this.video) {
      this.video.srcObject = null;
      this.video.hidden = true;
    }
    this.root.classList.remove("qr-scanning");
    if (this.startButton) {
      this.startButton.hidden = !this.canStream;
    }
    if (this.stopButton) {
      this.stopButton.hidden = true;
    }
  };

  Scanner.prototype.tick = function () {
    var self = this;
    if (!this.stream) {
      return;
    }
    var v = this.video;
    if (v.readyState >= 2 && v.videoWidth > 0) {
      var text = null;
      try {
        text = decode(this.canvas, this.context, v, v.videoWidth, v.videoHeight, "dontInvert");
      } catch (e) {
        text = null;
      }
      var now = Date.now();
      if (text) {
        // The same code still in view is not sent again; it must leave the frame for repeatMs first.
        var fresh = text !== this.lastText || now - this.lastSeen > this.repeatMs;
        this.lastText = text;
        this.lastSeen = now;
        if (fresh && !this.busy) {
          this.found(text, "camera");
        }
      }
    }
    this.timer = window.setTimeout(function () {
      self.tick();
    }, FRAME_EVERY_MS);
  };

  /* --- a photo or an image file -------------------------------------------------------------------------- */
  Scanner.prototype.readPhoto = function (file) {
    var self = this;
    this.status("正在识别图片…");
    var done = function (text) {
      if (self.fileInput) {
        self.fileInput.value = ""; // the same picture may be chosen again
      }
      if (text) {
        self.found(text, "photo");
      } else {
        self.status("未在图片中识别到二维码，请对准二维码重新拍摄，或使用人工签到。", "error");
      }
    };
    var fromImage = function (image, width, height) {
      var text = null;
      for (var i = 0; i < PHOTO_SIDES.length && !text; i++) {
        var scale = Math.min(1, PHOTO_SIDES[i] / Math.max(width, height));
        try {
          text = decodeAt(self.canvas, self.context, image, width, height, scale, "attemptBoth");
        } catch (e) {
          text = null;
        }
        if (scale === 1) {
          break;
        }
      }
      return text;
    };
    if (window.createImageBitmap) {
      window.createImageBitmap(file).then(function (bitmap) {
        var text = fromImage(bitmap, bitmap.width, bitmap.height);
        if (bitmap.close) {
          bitmap.close();
        }
        done(text);
      }).catch(function () {
        self.readPhotoAsDataUrl(file, fromImage, done);
      });
    } else {
      this.readPhotoAsDataUrl(file, fromImage, done);
    }
  };

  // Older browsers: the picture as a data: URL (the CSP allows data: images, not blob:).
  Scanner.prototype.readPhotoAsDataUrl = function (file, fromImage, done) {
    var self = this;
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        done(fromImage(image, image.naturalWidth, image.naturalHeight));
      };
      image.onerror = function () {
        self.status("无法读取该图片，请重新拍摄。", "error");
      };
      image.src = reader.result;
    };
    reader.onerror = function () {
      self.status("无法读取该图片，请重新拍摄。", "error");
    };
    reader.readAsDataURL(file);
  };

  /* --- a decoded text ---------------------------------------------------------------------------------------- */
  Scanner.prototype.found = function (text, source) {
    if (this.busy) {
      this.status("正在提交上一次扫描，请稍候…");
      return;
    }
    var id = nonce();
    var event = new CustomEvent("qr:decoded", { bubbles: true, cancelable: true,
      detail: { text: text, nonce: id, source: source } });
    if (!this.root.dispatchEvent(event)) {
      return;
    }
    if (navigator.vibrate) {
      navigator.vibrate(60);
    }
    if (this.handler) {
      var handler = handlers[this.handler];
      if (typeof handler === "function") {
        handler(text, id, this);
      } else {
        this.status("扫码处理程序未注册：" + this.handler, "error");
      }
      return;
    }
    this.send(text, id, source);
  };

  Scanner.prototype.fill = function (text, id) {
    var payload = this.form.elements.namedItem(this.field);
    var nonceInput = this.form.elements.namedItem(this.nonceField);
    if (payload) {
      payload.value = text;
    }
    if (nonceInput) {
      nonceInput.value = id;
    }
  };

  Scanner.prototype.send = function (text, id, source) {
    var self = this;
    if (!this.form) {
      this.status("页面缺少提交表单。", "error");
      return;
    }
    if (!this.form.hasAttribute("data-qr-json")) {
      this.fill(text, id);
      this.busy = true;
      this.stop();
      if (this.form.requestSubmit) {
        this.form.requestSubmit();
      } else {
        this.form.submit();
      }
      return;
    }
    this.busy = true;
    this.status("正在提交…");
    var body = new FormData(this.form);
    body.set(this.field, text);
    body.set(this.nonceField, id);
    window.fetch(this.form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw { status: response.status };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      self.busy = false;
      self.answer(answer.data, answer.status);
    }).catch(function (error) {
      self.busy = false;
      // No answer came back (the network, or an error page): the scan may or may not have been recorded.
      // 重试 sends it again with the same nonce, so one that was recorded is answered, not counted again.
      self.pending = { text: text, nonce: id, source: source };
      self.status(error && error.status ? "提交未确认（" + error.status + "），可重试；多次失败请刷新页面或使用人工签到。"
        : "网络异常，扫描未确认。", "error");
      if (self.statusEl) {
        var retry = document.createElement("button");
        retry.type = "button";
        retry.className = "btn qr-retry";
        retry.setAttribute("data-qr-retry", "");
        retry.textContent = "重试";
        self.statusEl.appendChild(document.createTextNode(" "));
        self.statusEl.appendChild(retry);
      }
    });
  };

  Scanner.prototype.answer = function (data, status) {
    if (this.result && typeof data.html === "string") {
      this.result.innerHTML = data.html; // rendered (and escaped) by the server's template
    }
    var bind = data.bind || {};
    Object.keys(bind).forEach(function (key) {
      document.querySelectorAll('[data-qr-bind="' + key + '"]').forEach(function (el) {
        el.textContent = bind[key];
      });
    });
    this.status(data.result ? "" : data.message || (status >= 400 ? "提交失败（" + status + "）" : ""),
      data.result ? "" : "error");
    if (navigator.vibrate && data.result && data.result !== "ok") {
      navigator.vibrate([80, 60, 80]);
    }
    this.root.dispatchEvent(new CustomEvent("qr:answer", { bubbles: true, detail: data }));
  };

  function init(root) {
    if (!root.shanglianQR) {
      root.shanglianQR = new Scanner(root);
    }
    return root.shanglianQR;
  }

  window.ShanglianQR = { handlers: handlers, init: init, nonce: nonce };

  function initAll() {
    document.querySelectorAll("[data-qr-scanner]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
