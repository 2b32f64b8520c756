// The training player's script: one copy per player, called with the
// player's element id and its data (see player.rs for what the data holds).
// It replaces the still picture with the controls and the frames, which it
// takes from strings, so that nothing but the still shows where scripts do
// not run.
(function (id, D) {
  var root = document.getElementById(id);
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var make = function (tag, style, parent) {
    var e = document.createElement(tag);
    if (style) e.style.cssText = style;
    if (parent) parent.appendChild(e);
    return e;
  };
  var still = root.querySelector(".nn-still");
  if (still) still.remove();

  var bar = make("div", "display:flex;align-items:center;gap:10px;margin:4px 0;flex-wrap:wrap", root);
  bar.className = "nn-controls";
  var play = make("button", "min-width:5.5em", bar);
  play.className = "nn-play";
  var slider = make("input", "flex:1 1 260px", bar);
  slider.className = "nn-slider";
  slider.type = "range";
  slider.min = 0;
  slider.max = D.epochs.length - 1;
  slider.step = 1;
  slider.setAttribute("aria-label", "snapshot");
  var speed = make("select", "", bar);
  speed.className = "nn-speed";
  speed.title = "snapshots per second";
  [1, 2, 4, 8, 16].forEach(function (s) {
    var o = make("option", "", speed);
    o.value = s;
    o.textContent = s + " / s";
    if (s === D.fps) o.selected = true;
  });
  var text = make("div", "font-size:13px;margin:2px 0 6px 0;font-variant-numeric:tabular-nums", root);
  text.className = "nn-text";
  var stage = make("div", "display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start", root);
  stage.className = "nn-stage";
  var several = D.runs.length > 1;
  var panels = D.runs.map(function () {
    var p = make("div", several ? "flex:1 1 0;min-width:150px;max-width:300px" : "", stage);
    p.className = "nn-frame";
    return p;
  });
  var lossBox = make("div", "", root);
  lossBox.className = "nn-loss";
  lossBox.innerHTML = D.loss;
  var svg = lossBox.querySelector("svg");
  var ns = "http://www.w3.org/2000/svg";
  var el = function (tag, attrs) {
    var e = document.createElementNS(ns, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    svg.appendChild(e);
    return e;
  };
  // The future greyed out, a line at the epoch, a dot on each curve.
  var a = D.area;
  var veil = el("rect", { y: a[2], height: a[3] - a[2], fill: "white", "fill-opacity": 0.75 });
  var rule = el("line", { y1: a[2], y2: a[3], stroke: "#333", "stroke-width": 1, "stroke-dasharray": "3 3" });
  var dots = D.runs.map(function (r) {
    return el("circle", { r: 5, fill: r.colour, stroke: "white", "stroke-width": 1.5 });
  });

  // A frame is stored as the numbers of its lines (see player.rs).
  var frame = function (numbers) {
    return numbers.map(function (n) {
      return D.lines[n];
    }).join("\n");
  };
  var at = 0;
  var show = function (i) {
    at = Math.max(0, Math.min(D.epochs.length - 1, i));
    slider.value = at;
    D.runs.forEach(function (r, k) {
      panels[k].innerHTML = frame(r.frames[r.at[at]]);
      if (several) {
        // The panel's width, the picture's proportions (it has a viewBox).
        panels[k].firstElementChild.style.cssText = "width:100%;height:auto";
      }
      var m = r.marks[at];
      dots[k].setAttribute("visibility", m ? "visible" : "hidden");
      if (m) {
        dots[k].setAttribute("cx", m[0]);
        dots[k].setAttribute("cy", m[1]);
      }
    });
    var x = D.x[at];
    veil.setAttribute("x", x);
    veil.setAttribute("width", Math.max(0, a[1] - x));
    rule.setAttribute("x1", x);
    rule.setAttribute("x2", x);
    text.textContent = D.texts[at];
    root.setAttribute("data-epoch", D.epochs[at]);
  };

  var timer = null;
  var stop = function () {
    if (timer) clearInterval(timer);
    timer = null;
    play.textContent = "▶ play";
  };
  var start = function () {
    if (at >= D.epochs.length - 1) show(0);
    play.textContent = "❚❚ pause";
    timer = setInterval(function () {
      if (at >= D.epochs.length - 1) return stop();
      show(at + 1);
    }, 1000 / Number(speed.value));
  };
  play.onclick = function () {
    timer ? stop() : start();
  };
  speed.onchange = function () {
    if (timer) {
      stop();
      start();
    }
  };
  slider.oninput = function () {
    stop();
    show(Number(slider.value));
  };
  root.tabIndex = 0;
  root.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    // The slider steps by itself when it has the focus.
    if (e.target === slider) return;
    e.preventDefault();
    // The notebook must not take the key as "next cell".
    e.stopPropagation();
    stop();
    show(at + (e.key === "ArrowRight" ? 1 : -1));
  });
  stop();
  show(D.start);
})
