/* chronicle html: draws the record embedded in this page, as known at the chosen date.
   Everything from the record is set as text (textContent), never parsed as HTML; only
   http(s) addresses, checked when the page was written and again here, become links. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chronicle-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 1000, LEFT = 112, RIGHT = 16;
  var COLOURS = {
    "Elections": "#1f5f8b", "Parties": "#7a5195", "Arrests": "#3d3d3d",
    "Violence": "#d45087", "Other events": "#8a8a8a", "Heads of state": "#8a8a8a"
  };
  var fixedTitle = document.body.getAttribute("data-fixed-title") === "yes";

  function day(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5;
  }
  var first = day(data.axis.from), last = day(data.axis.to), top = day(data.axis.top);
  function x(iso) { return LEFT + (day(iso) - first) / (last - first) * (WIDTH - LEFT - RIGHT); }

  function el(name, attributes, parent, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function html(name, className, parent, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function tip(node, text) { el("title", {}, node, text); }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safe(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  var measured = {};
  /* The width a text takes drawn with a class, measured once by the browser itself. */
  function width(text, className) {
    var key = className + "\u0000" + text;
    if (!(key in measured)) {
      var svg = document.getElementById("timeline");
      var probe = el("text", { "class": className, x: 0, y: -100 }, svg, text);
      measured[key] = probe.getComputedTextLength();
      svg.removeChild(probe);
    }
    return measured[key];
  }

  /* Greedy placement: a box is kept only where it overlaps no box kept before. */
  function Placer() { this.boxes = []; }
  Placer.prototype.free = function (box) {
    return this.boxes.every(function (other) {
      return box.x1 <= other.x0 || other.x1 <= box.x0 || box.y1 <= other.y0 || other.y1 <= box.y0;
    });
  };
  Placer.prototype.take = function (box) {
    if (!this.free(box)) { return false; }
    this.boxes.push(box);
    return true;
  };

  function axis(svg, ticks, y0, y1) {
    ticks.lines.forEach(function (at) {
      el("line", { "class": "grid", x1: x(at), x2: x(at), y1: y0, y2: y1 }, svg);
    });
    ticks.labels.forEach(function (tick) {
      el("text", { "class": "tick", x: x(tick.at), y: y0 - 6, "text-anchor": "middle" }, svg, tick.label);
    });
  }

  function drawTimeline(choice) {
    var svg = document.getElementById("timeline");
    clear(svg);
    var coups = choice.events.filter(function (e) { return e.kind === "coup"; });
    var named = {};
    var groups = data.groups;
    var bandTop = 26, bandHeight = 40, coupTop = bandTop + bandHeight + 8;
    var labelRows = 3, rowHeight = 14;
    var lanesTop = coupTop + labelRows * rowHeight + 10, laneHeight = 26;
    var height = lanesTop + groups.length * laneHeight + 8;
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + height);
    axis(svg, data.axis.ticks, 20, height - 4);
    el("text", { "class": "lane-name", x: 0, y: bandTop + bandHeight / 2 + 4 }, svg, "Head of state");
    el("text", { "class": "lane-name", x: 0, y: coupTop + 10 }, svg, "Coups");
    choice.tenures.forEach(function (tenure) {
      var x0 = Math.max(x(tenure.from), LEFT), x1 = x(tenure.to), w = Math.max(x1 - x0, 1);
      var band = el("g", { "class": "band", "data-name": tenure.name }, svg);
      el("rect", { x: x0, y: bandTop, width: w, height: bandHeight, fill: data.colours[tenure.name] || "#ddd" }, band);
      el("line", { x1: x0, x2: x0, y1: bandTop, y2: bandTop + bandHeight, stroke: "#fff", "stroke-width": 2 }, band);
      tip(band, tenure.name + ", " + tenure.title + ", from " + tenure.since);
      var names = [tenure.name, tenure.name.split(" ").pop()];
      for (var i = 0; i < names.length; i += 1) {
        if (width(names[i], "band-name") + 8 < w) {
          el("text", { "class": "band-name", x: x0 + 4, y: bandTop + 17 }, band, names[i]);
          if (data.titled && width(tenure.title, "band-title") + 8 < w) {
            el("text", { "class": "band-title", x: x0 + 4, y: bandTop + 32 }, band, tenure.title);
          }
          named[tenure.name] = true;
          break;
        }
      }
    });
    var unnamed = [];
    choice.tenures.forEach(function (tenure) {
      if (!named[tenure.name] && unnamed.indexOf(tenure.name) < 0) { unnamed.push(tenure.name); }
    });
    var placer = new Placer();
    coups.forEach(function (coup) {
      var at = x(coup.when.from), end = x(coup.when.to);
      var g = el("g", { "class": "mark coup" + (coup.failed ? " failed" : ""), "data-id": coup.id }, svg);
      el("line", { "class": "coup-line" + (coup.failed ? " failed" : ""), x1: end, x2: end, y1: bandTop, y2: height - 8 }, g);
      if (!coup.when.exact) {
        el("rect", { "class": "span", x: at, y: coupTop, width: Math.max(end - at, 2), height: 8, fill: "#b8322a" }, g);
      }
      el("path", { d: "M" + (end - 5) + " " + coupTop + "h10l-5 8z", fill: "#b8322a" }, g);
      tip(g, coup.when.said + ": " + coup.headline);
      var text = (coup.failed ? "failed coup, " : "coup, ") + coup.when.said;
      var w = width(text, "coup-label"), placed = false;
      for (var row = 0; row < labelRows && !placed; row += 1) {
        var y = coupTop + 20 + row * rowHeight;
        /* right of the line, or left of it where the axis ends */
        [[end + 3, "start"], [end - 3 - w, "end"]].forEach(function (side) {
          var box = { x0: side[0] - 3, x1: side[0] + w + 3, y0: y - 11, y1: y + 2 };
          if (!placed && box.x0 >= LEFT && box.x1 <= WIDTH && placer.take(box)) {
            var at = side[1] === "start" ? side[0] : side[0] + w;
            el("text", { "class": "coup-label", x: at, y: y, "text-anchor": side[1] }, g, text);
            placed = true;
          }
        });
      }
    });
    groups.forEach(function (group, index) {
      var y = lanesTop + index * laneHeight + laneHeight / 2;
      el("text", { "class": "lane-name", x: 0, y: y + 4 }, svg, group);
      el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y, stroke: "#f0f0f0" }, svg);
      choice.events.forEach(function (event) {
        if (event.group !== group) { return; }
        var g = el("g", { "class": "mark kind-" + event.kind, "data-id": event.id }, svg);
        var colour = COLOURS[group] || "#888";
        if (event.when.exact) {
          el("circle", { cx: x(event.when.from), cy: y, r: 5, fill: colour }, g);
        } else {
          var x0 = x(event.when.from), x1 = x(event.when.to);
          el("rect", { "class": "span", x: x0, y: y - 5, width: Math.max(x1 - x0, 3), height: 10, rx: 5, fill: colour }, g);
        }
        tip(g, event.when.said + ": " + event.headline);
      });
    });
    var legend = document.getElementById("legend");
    clear(legend);
    [["Coup", "#b8322a"]].concat(groups.map(function (g) { return [g, COLOURS[g] || "#888"]; })).forEach(function (item) {
      var span = html("span", "", legend);
      var dot = html("i", "", span);
      dot.style.background = item[1];
      span.appendChild(document.createTextNode(item[0]));
    });
    html("span", "", legend, "A bar is a date known only to its month, year or interval.");
    var key = document.getElementById("leaders");
    clear(key);
    key.hidden = unnamed.length === 0;
    if (unnamed.length) { html("span", "", key, "Heads of state not named on their band:"); }
    unnamed.forEach(function (name) {
      var span = html("span", "", key);
      var swatch = html("i", "", span);
      swatch.style.background = data.colours[name] || "#ddd";
      span.appendChild(document.createTextNode(name));
    });
  }

  function drawDrift(choice) {
    var section = document.getElementById("drift-section");
    var svg = document.getElementById("drift");
    clear(svg);
    var promises = choice.promises;
    section.hidden = !choice.vote || promises.length === 0;
    if (section.hidden) { return; }
    document.getElementById("drift-title").textContent = "The promised " + choice.vote;
    var height = 420, bottom = height - 24, upper = 14;
    function y(iso) { return bottom - (day(iso) - first) / (top - first) * (bottom - upper); }
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + height);
    axis(svg, data.axis.ticks, upper, bottom);
    el("text", { "class": "tick", x: WIDTH / 2, y: height - 2, "text-anchor": "middle" }, svg, "day the promise was made");
    data.axis.drift_ticks.labels.forEach(function (tick) {
      el("text", { "class": "tick", x: LEFT - 8, y: y(tick.at) + 4, "text-anchor": "end" }, svg, tick.label);
    });
    el("text", { "class": "lane-name", x: 0, y: upper + 10 }, svg, "date promised");
    var corner = data.axis.to < data.axis.top ? data.axis.to : data.axis.top;
    el("path", { "class": "past", d: "M" + x(data.axis.from) + " " + y(data.axis.from) + "L" + x(corner) + " " + y(corner) + "L" + x(corner) + " " + bottom + "Z" }, svg);
    el("line", { "class": "diagonal", x1: x(data.axis.from), y1: y(data.axis.from), x2: x(corner), y2: y(corner) }, svg);
    el("line", { x1: LEFT, x2: LEFT, y1: upper, y2: bottom, stroke: "#999" }, svg);
    el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: bottom, y2: bottom, stroke: "#999" }, svg);
    var placer = new Placer(), dots = [];
    promises.forEach(function (promise) {
      var g = el("g", { "class": "mark promise" }, svg);
      var made = x(promise.made.to) - 0.5;
      if (!promise.date) {
        var c = y(promise.made.from);
        el("path", { "class": "cross", d: "M" + (made - 5) + " " + (c - 5) + "l10 10m0 -10l-10 10" }, g);
        tip(g, promise.caption);
        dots.push([made, c, promise]);
        return;
      }
      var py = y(promise.date.to);
      if (!promise.made.exact) {
        el("rect", { "class": "promise-span", x: x(promise.made.from), y: py - 4, width: Math.max(made - x(promise.made.from), 2), height: 8 }, g);
      }
      if (!promise.date.exact) {
        el("rect", { "class": "promise-span", x: made - 4, y: py, width: 8, height: Math.max(y(promise.date.from) - py, 2) }, g);
      }
      el("line", { "class": "promise-line", x1: made, x2: Math.max(x(promise.until), made + 1), y1: py, y2: py }, g);
      el("circle", { "class": "promise-dot", cx: made, cy: py, r: 5 }, g);
      tip(g, promise.caption);
      dots.push([made, py, promise]);
    });
    choice.votes.forEach(function (vote) {
      var vx = x(vote.when.to) - 0.5, vy = y(vote.when.to);
      var g = el("g", { "class": "mark vote" }, svg);
      el("path", { "class": vote.kind, d: "M" + vx + " " + (vy - 6) + "l6 6l-6 6l-6 -6z" }, g);
      tip(g, "vote " + (vote.kind === "held" ? "held" : "called off") + ", " + vote.when.said);
    });
    dots.forEach(function (dot) { placer.take({ x0: dot[0] - 6, x1: dot[0] + 6, y0: dot[1] - 6, y1: dot[1] + 6 }); });
    dots.slice().reverse().slice(0, 40).forEach(function (dot) {
      var text = dot[2].caption, w = width(text, "promise-label");
      var spots = [
        [8, -8, "start"], [-8, -8, "end"], [8, 16, "start"], [-8, 16, "end"],
        [8, -24, "start"], [-8, -24, "end"], [8, 32, "start"], [-8, 32, "end"]
      ];
      for (var i = 0; i < spots.length; i += 1) {
        var sx = dot[0] + spots[i][0], sy = dot[1] + spots[i][1];
        var x0 = spots[i][2] === "start" ? sx : sx - w;
        var box = { x0: x0, x1: x0 + w, y0: sy - 11, y1: sy + 3 };
        if (box.x0 >= LEFT && box.x1 <= WIDTH && box.y0 >= upper && box.y1 <= bottom && placer.take(box)) {
          el("text", { "class": "promise-label", x: sx, y: sy, "text-anchor": spots[i][2] }, svg, text);
          break;
        }
      }
    });
  }

  function drawList(choice) {
    var list = document.getElementById("events");
    clear(list);
    choice.events.forEach(function (event) {
      var item = html("li", "kind-" + event.kind, list);
      item.setAttribute("data-id", event.id);
      html("div", "date", item, event.when.said);
      var body = html("div", "", item);
      html("span", "headline", body, event.headline);
      event.notes.forEach(function (n) {
        var sup = html("sup", "", body);
        var link = html("a", "", sup, "[" + n + "]");
        link.setAttribute("href", "#note-" + n);
      });
      if (event.details) { html("div", "details", item, event.details); }
      if (event.corrected) {
        var note = html("div", "corrected", item, event.corrected);
        event.correction_notes.forEach(function (n) {
          var link = html("a", "", html("sup", "", note), "[" + n + "]");
          link.setAttribute("href", "#note-" + n);
        });
      }
    });
    var notes = document.getElementById("notes");
    clear(notes);
    choice.notes.forEach(function (source) {
      var item = html("li", "", notes);
      item.id = "note-" + source.n;
      item.value = source.n;
      html("strong", "", item, source.publisher);
      if (source.title) {
        item.appendChild(document.createTextNode(", "));
        var url = safe(source.url);
        if (url) {
          var link = html("a", "", item, source.title);
          link.setAttribute("href", url);
          link.setAttribute("rel", "noopener noreferrer");
        } else {
          html("cite", "", item, source.title);
        }
      } else if (safe(source.url)) {
        item.appendChild(document.createTextNode(", "));
        var bare = html("a", "", item, safe(source.url));
        bare.setAttribute("href", safe(source.url));
        bare.setAttribute("rel", "noopener noreferrer");
      }
      if (source.published) { item.appendChild(document.createTextNode(" (" + source.published + ")")); }
      if (source.note) { html("div", "note", item, source.note); }
    });
  }

  /* A choice of record time lists the indices of its events, tenures, promises and votes. */
  function resolve(index) {
    var listed = data.choices[index], choice = {};
    Object.keys(listed).forEach(function (key) { choice[key] = listed[key]; });
    ["events", "tenures", "promises", "votes"].forEach(function (table) {
      choice[table] = listed[table].map(function (at) { return data[table][at]; });
    });
    var cited = {};
    choice.events.forEach(function (event) {
      event.notes.concat(event.correction_notes).forEach(function (n) { cited[n] = true; });
    });
    choice.notes = data.notes.filter(function (note) { return cited[note.n]; });
    return choice;
  }

  function render(index) {
    var choice = resolve(index);
    if (!fixedTitle) { document.getElementById("headline").textContent = choice.headline; }
    document.getElementById("summary").textContent = choice.summary.join(" ");
    drawTimeline(choice);
    drawDrift(choice);
    drawList(choice);
    document.body.setAttribute("data-known-at", choice.instant);
  }

  var select = document.getElementById("known-at");
  data.choices.forEach(function (choice, index) {
    var option = html("option", "", select, choice.label);
    option.value = String(index);
  });
  select.value = String(data.choices.length - 1);
  select.addEventListener("change", function () { render(+select.value); });
  render(data.choices.length - 1);
}());
