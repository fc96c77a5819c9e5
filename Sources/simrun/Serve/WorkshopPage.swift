/// The workshop page: one HTML file, its style and its script, embedded in the binary (no CDN, no build step;
/// it works offline). Written for a projector: large type, two colours, plain words, every unit said.
enum WorkshopPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>simrun: what if?</title>
    <link rel="stylesheet" href="/app.css">
    <script src="/app.js" defer></script>
    </head>
    <body>
    <header>
      <h1>What if…? Options compared</h1>
      <p id="facts">Loading the survey…</p>
      <div class="toolbar">
        <label>Year simulated <select id="year"></select></label>
        <button id="intervals" type="button">Show 95% confidence intervals</button>
        <span id="interval-status" role="status"></span>
        <span class="group"><label for="replications">Random draws</label>
          <input id="replications" type="number" min="2" max="200" step="1" value="100" aria-describedby="bands-error">
          <button id="bands" type="button">Show Monte Carlo bands</button></span>
        <span id="bands-status" role="status"></span>
        <button id="pack" type="button">Download the report pack</button>
        <span id="status" role="status" aria-live="polite"></span>
      </div>
      <p id="bands-error" class="error" role="alert" hidden></p>
      <p id="page-error" class="error" role="alert" hidden></p>
    </header>
    <main>
      <section aria-labelledby="options-heading">
        <h2 id="options-heading">The options and their parameters</h2>
        <p class="hint">Type a new value and press Enter: every figure below is recomputed.</p>
        <div id="options" class="options"></div>
      </section>
      <section aria-labelledby="table-heading">
        <h2 id="table-heading">Results</h2>
        <div class="scroll"><table id="results"></table></div>
        <p id="table-notes" class="hint"></p>
      </section>
      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Charts</h2>
        <div id="charts"></div>
      </section>
      <section aria-labelledby="sweep-heading">
        <h2 id="sweep-heading">Explore a range: cost against poverty reduction</h2>
        <p class="hint">Choose an option and one or two of its parameters with a range: every combination is computed (at most 400) and drawn. Red points are not dominated: no other variant costs less and reduces the poverty gap more. Point at a dot to read its values.</p>
        <form id="sweep-form" class="sweep" autocomplete="off">
          <label>Option <select id="sweep-option"></select></label>
          <div id="sweep-dims"></div>
          <div class="actions"><button id="sweep-run" type="submit" class="primary">Run the sweep</button>
            <span id="sweep-status" role="status"></span></div>
          <p id="sweep-error" class="error" role="alert" hidden></p>
        </form>
        <p id="sweep-point" class="point" role="status" aria-live="polite"></p>
        <figure id="sweep-chart" class="chart" hidden></figure>
        <div id="sweep-table" class="scroll"></div>
      </section>
      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">Coverage of the groups the floor protects</h2>
        <div id="coverage" class="scroll"></div>
      </section>
    </main>
    </body>
    </html>
    """#

    static let style = #"""
    :root { --ink: #111; --muted: #444; --accent: #0b5394; --line: #bbb; --error: #b00020; --soft: #eef3f8; }
    * { box-sizing: border-box; }
    html { font-size: 20px; }
    body { margin: 0; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; line-height: 1.4; }
    header { padding: 0.8rem 1.2rem 0.4rem; border-bottom: 3px solid var(--accent); }
    h1 { margin: 0 0 0.2rem; font-size: 1.8rem; }
    h2 { font-size: 1.4rem; margin: 1.2rem 0 0.4rem; color: var(--accent); }
    main { padding: 0 1.2rem 2rem; }
    #facts { margin: 0 0 0.5rem; color: var(--muted); }
    .toolbar { display: flex; flex-wrap: wrap; gap: 0.6rem 1rem; align-items: center; }
    button, select, input { font: inherit; }
    button { padding: 0.3rem 0.8rem; border: 2px solid var(--accent); background: #fff; color: var(--accent); border-radius: 6px; cursor: pointer; }
    button.primary { background: var(--accent); color: #fff; }
    button:disabled { opacity: 0.5; cursor: default; }
    select { padding: 0.2rem 0.4rem; max-width: 100%; }
    #status { font-weight: bold; color: var(--accent); min-width: 8rem; }
    .hint { color: var(--muted); margin: 0.2rem 0 0.6rem; }
    .error { color: var(--error); font-weight: bold; margin: 0.2rem 0; }
    .options { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
    .option { border: 2px solid var(--line); border-radius: 8px; padding: 0.6rem 0.8rem; width: 24rem; background: #fff; }
    .option h3 { margin: 0; font-size: 1.3rem; }
    .option .title { color: var(--muted); margin: 0.1rem 0 0.5rem; }
    .option label.param { display: block; margin: 0.5rem 0 0; font-weight: bold; }
    .option .control { display: flex; align-items: center; gap: 0.5rem; margin-top: 0.15rem; }
    .option input[type=number] { width: 9rem; padding: 0.15rem 0.3rem; border: 2px solid var(--line); border-radius: 4px; }
    .option input.invalid { border-color: var(--error); }
    .option .unit { color: var(--muted); }
    .option .range { color: var(--muted); font-size: 0.8rem; }
    .option .actions { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-top: 0.7rem; }
    .option .saved { color: var(--accent); font-weight: bold; }
    .changed { color: var(--accent); font-weight: normal; font-size: 0.85em; }
    .option.add { border-style: dashed; }
    table { border-collapse: collapse; margin: 0.3rem 0; }
    th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
    th:first-child, td:first-child { text-align: left; }
    td.unit, th.unit { text-align: left; color: var(--muted); }
    thead th { border-bottom: 3px solid var(--ink); }
    tr.main td { font-weight: bold; background: var(--soft); }
    tr.sub td:first-child { padding-left: 1.6rem; }
    .scroll { overflow-x: auto; }
    #charts { display: grid; grid-template-columns: 1fr; gap: 1.5rem; max-width: 75rem; }
    .chart { margin: 0; }
    .chart svg { width: 100%; height: auto; }
    .chart h3 { margin: 0.3rem 0; font-size: 1.1rem; }
    .busy main { opacity: 0.6; }
    .group { display: inline-flex; align-items: center; gap: 0.4rem; }
    #replications { width: 5rem; padding: 0.15rem 0.3rem; border: 2px solid var(--line); border-radius: 4px; }
    .sweep { border: 2px solid var(--line); border-radius: 8px; padding: 0.6rem 0.8rem; max-width: 75rem; }
    .sweep .dim { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; margin: 0.5rem 0; }
    .sweep .dim input { width: 7rem; padding: 0.15rem 0.3rem; border: 2px solid var(--line); border-radius: 4px; }
    .sweep .dim input.invalid, #replications.invalid { border-color: var(--error); }
    .sweep .actions { display: flex; gap: 1rem; align-items: center; margin-top: 0.4rem; }
    #sweep-status, #bands-status, #interval-status { font-weight: bold; }
    .point { font-size: 1.2rem; font-weight: bold; min-height: 1.7rem; color: var(--accent); }
    #sweep-chart { max-width: 62rem; }
    #sweep-chart svg circle { cursor: pointer; }
    td .band { font-style: italic; font-weight: normal; color: var(--muted); font-size: 0.85em; white-space: nowrap; }
    """#

    static let script = #"""
    "use strict";
    const token = new URLSearchParams(location.search).get("token") || "";
    let state = null;
    let scenarios = [];
    let busy = false;

    const $ = (id) => document.getElementById(id);
    function el(tag, attrs, ...children) {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) {
        if (k === "class") node.className = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
      }
      for (const c of children) if (c !== null && c !== undefined) node.append(c);
      return node;
    }

    async function api(method, path, body) {
      const init = { method, headers: { "X-Simrun-Token": token } };
      if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
      const response = await fetch("/api/" + path, init);
      const type = response.headers.get("Content-Type") || "";
      const data = type.startsWith("application/json") ? await response.json() : await response.blob();
      if (!response.ok) { const e = new Error(data.error || response.statusText); e.body = data; e.status = response.status; throw e; }
      return data;
    }

    function setStatus(text) { $("status").textContent = text; }
    function pageError(text) { const p = $("page-error"); p.textContent = text || ""; p.hidden = !text; }

    // The draws the room asked for: asked again for the new options after every change (the old bands are dropped).
    let bandsWanted = null;
    async function change(method, path, body, where) {
      if (busy) return null;
      busy = true; document.body.classList.add("busy"); setStatus("Calculating…"); pageError("");
      const started = performance.now();
      try {
        const data = await api(method, path, body);
        if (data && data.options) { state = data; render(); }
        setStatus("Updated in " + Math.round(performance.now() - started) + " ms");
        if (bandsWanted && data && data.options && data.bands.status === "none") requestBands(bandsWanted);
        return data;
      } catch (e) {
        setStatus("");
        if (where) where(e.body ? e.body.error : e.message); else pageError(e.body ? e.body.error : e.message);
        return null;
      } finally { busy = false; document.body.classList.remove("busy"); }
    }

    function unitText(unit) {
      const currency = state ? state.currency : "currency";
      const words = {
        currency_per_month: currency + " a month", currency_per_year: currency + " a year",
        currency_per_person_per_month: currency + " per person a month", currency_per_child_per_month: currency + " per child a month",
        share: "share (0.5 = 50%)", rate: "rate (0.1 = 10%)", years: "years", age: "years of age", persons: "persons", months: "months",
      };
      if (words[unit]) return words[unit];
      return (unit || "").replace(/currency/g, currency).replace(/_per_/g, " per ").replace(/_/g, " ");
    }

    function numberText(x) {
      if (x === null || x === undefined) return "";
      return Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", { maximumFractionDigits: 4 });
    }

    function renderFacts() {
      const d = state.data;
      $("facts").textContent = "Survey: " + d.file + " · " + numberText(d.households) + " households, " + numberText(d.persons) + " persons"
        + (state.country ? " · " + state.country : "") + " · money in " + state.currency;
      const select = $("year");
      select.replaceChildren(el("option", { value: "" }, "Each option's own year"));
      for (const y of state.years) select.append(el("option", { value: String(y) }, String(y)));
      select.value = state.year == null ? "" : String(state.year);
    }

    function parameterControl(option, p) {
      const id = "p-" + option.id + "-" + p.path.replace(/[^A-Za-z0-9_-]/g, "_");
      const message = el("p", { class: "error", id: id + "-error", role: "alert", hidden: true });
      const input = el("input", {
        type: "number", id, value: String(p.value), step: p.wholeNumber ? "1" : "any",
        min: p.minimum === null || p.minimum === undefined ? null : String(p.minimum),
        max: p.maximum === null || p.maximum === undefined || p.maximum > 1e12 ? null : String(p.maximum),
        "data-option": String(option.id), "data-path": p.path, "aria-describedby": id + "-error",
      });
      const send = async () => {
        const value = Number(input.value);
        if (input.value.trim() === "" || !Number.isFinite(value)) {
          message.textContent = "Type a number."; message.hidden = false; input.classList.add("invalid"); return;
        }
        if (value === p.value) return;
        await change("POST", "options/" + option.id + "/parameter", { path: p.path, value }, (text) => {
          message.textContent = text; message.hidden = false; input.classList.add("invalid");
        });
      };
      input.addEventListener("change", send);
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); input.blur(); } });
      const range = p.minimum !== null && p.minimum !== undefined
        ? "allowed: " + numberText(p.minimum) + (p.maximum !== null && p.maximum !== undefined && p.maximum < 1e12 ? " to " + numberText(p.maximum) : " or more")
        : "";
      return el("div", {},
        el("label", { class: "param", for: id, title: p.description }, p.name.replace(/_/g, " ")),
        el("div", { class: "control" }, input, el("span", { class: "unit" }, unitText(p.unit))),
        range ? el("div", { class: "range" }, range) : null,
        message);
    }

    const openMore = new Set();
    function renderOptions() {
      const box = $("options");
      box.replaceChildren();
      for (const option of state.options) {
        const saved = el("p", { class: "saved", role: "status" });
        const actionError = el("p", { class: "error", role: "alert", hidden: true });
        const card = el("article", { class: "option", "data-option": String(option.id) },
          el("h3", {}, option.label, option.changed ? el("span", { class: "changed" }, " (changed)") : null),
          el("p", { class: "title" }, option.title + (option.year ? " (" + option.year + ")" : "")),
          ...option.parameters.filter((p) => p.written).map((p) => parameterControl(option, p)),
          // Parameters the scenario file leaves at the module's defaults: apart, folded, so the room sees the option's own first.
          option.parameters.some((p) => !p.written) ? el("details", Object.assign({ class: "more",
              ontoggle: (e) => { if (e.target.open) openMore.add(option.id); else openMore.delete(option.id); } },
              openMore.has(option.id) ? { open: true } : {}),
            el("summary", {}, "More parameters (at the module's defaults)"),
            ...option.parameters.filter((p) => !p.written).map((p) => parameterControl(option, p))) : null,
          el("div", { class: "actions" },
            el("button", { type: "button", onclick: () => change("POST", "options/" + option.id + "/duplicate") }, "Copy"),
            el("button", { type: "button", onclick: () => {
              const label = prompt("New name for this option (at most 40 characters):", option.label);
              if (label) change("POST", "options/" + option.id + "/label", { label }, (t) => { actionError.textContent = t; actionError.hidden = false; });
            } }, "Rename"),
            el("button", { type: "button", disabled: state.options.length < 2, onclick: () => change("DELETE", "options/" + option.id) }, "Remove"),
            el("button", { type: "button", onclick: async () => {
              const name = prompt("Save this option as a scenario file in the working folder. File name:", option.label.replace(/[^A-Za-z0-9_-]+/g, "-").toLowerCase());
              if (!name) return;
              try { const r = await api("POST", "options/" + option.id + "/save", { name }); saved.textContent = "Saved as " + r.file; actionError.hidden = true; }
              catch (e) { actionError.textContent = e.body ? e.body.error : e.message; actionError.hidden = false; }
            } }, "Save as file")),
          saved, actionError);
        box.append(card);
      }
      const select = el("select", { id: "add-choice", "aria-label": "Scenario to add" },
        ...scenarios.map((s) => el("option", { value: s.id }, s.title)));
      const addError = el("p", { class: "error", role: "alert", hidden: true });
      box.append(el("article", { class: "option add" },
        el("h3", {}, "Add an option"), select,
        el("div", { class: "actions" }, el("button", { type: "button", class: "primary", onclick: () =>
          change("POST", "options", { scenario: select.value }, (t) => { addError.textContent = t; addError.hidden = false; }) }, "Add")),
        addError));
    }

    const mainRows = new Set(["net_cost_annual", "net_cost_share_gdp", "beneficiaries", "fgt0_change", "lifted_out", "gini_change"]);
    function renderTable() {
      const t = $("results");
      const head = el("tr", {}, el("th", {}, "Figure"), el("th", { class: "unit" }, "Unit"),
        ...state.options.map((o) => el("th", { scope: "col" }, o.label, o.changed ? el("span", { class: "changed" }, " (changed)") : null)));
      const body = el("tbody");
      for (const row of state.table.rows) {
        if (row.key.startsWith("projection.")) continue;
        const sub = row.label.startsWith("  ");
        body.append(el("tr", { class: mainRows.has(row.key) ? "main" : sub ? "sub" : "", "data-key": row.key },
          el("td", {}, row.label.trim()), el("td", { class: "unit" }, row.unit),
          ...row.display.map((text, i) => el("td", { "data-disclosure": row.disclosure[i], title: row.full[i] },
            row.value[i], row.range[i] ? el("div", { class: "band" }, "[" + row.range[i] + "]") : null))));
      }
      t.replaceChildren(el("thead", {}, head), body);
      const flagged = state.table.rows.some((r) => r.disclosure.includes("flagged"));
      const suppressed = state.table.rows.some((r) => r.disclosure.includes("suppressed"));
      let notes = "Change = the option minus today's system. Percentage points (pts): 1 pt = one person in a hundred.";
      if (flagged) notes += " * rests on fewer than " + state.table.minimum_cell_observations + " people in the survey: too few to be reliable.";
      if (suppressed) notes += " suppressed: rests on fewer than " + state.table.minimum_cell_observations + " people in the survey.";
      for (const n of state.notes || []) notes += " " + n;
      $("table-notes").textContent = notes;
    }

    function renderCharts() {
      const box = $("charts");
      box.replaceChildren();
      for (const chart of state.charts) {
        const figure = el("figure", { class: "chart", id: chart.id });
        figure.innerHTML = chart.svg;
        box.append(figure);
      }
    }

    function renderCoverage() {
      const box = $("coverage");
      box.replaceChildren();
      for (const t of state.tables) {
        const table = el("table", { id: "table-" + t.id },
          el("thead", {}, el("tr", {}, ...t.columns.map((c) => el("th", {}, c)))),
          el("tbody", {}, ...t.rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))));
        box.append(table);
        for (const n of t.notes) box.append(el("p", { class: "hint" }, n));
      }
    }

    function renderIntervals() {
      const s = state.intervals;
      const text = s.status === "running" ? "Computing intervals: " + s.done + " of " + s.total + " options…"
        : s.status === "ready" ? "95% intervals shown in brackets"
        : s.status === "failed" ? "Intervals failed: " + s.message : "";
      $("interval-status").textContent = text;
      $("intervals").disabled = s.status === "running" || s.status === "ready";
    }

    function renderBands() {
      const s = state.bands;
      const text = s.status === "running" ? "Computing bands: draw " + (s.done + 1) + " of " + (s.total + 1) + "…"
        : s.status === "ready" ? "Mean of " + s.replications + " draws, band in brackets"
        : s.status === "failed" && s.message !== "cancelled" ? "Bands failed: " + s.message : "";
      $("bands-status").textContent = text;
      $("bands").textContent = bandsWanted ? "Hide Monte Carlo bands" : "Show Monte Carlo bands";
    }

    // The sweep: controls built from the options' parameters; the result drawn once ready, cleared when its option changes.
    // A range suggested by the page follows its parameter (current value, valid range) as the option changes; a bound the
    // room typed stays as typed until another parameter is chosen for it.
    let sweepShown = null;
    function sweepParameters() {
      const option = state.options.find((o) => String(o.id) === $("sweep-option").value) || state.options[0];
      return option ? option.parameters : [];
    }
    function suggestedRange(p) {
      const v = p.value, whole = p.wholeNumber;
      const low = p.minimum ?? null, high = p.maximum !== null && p.maximum !== undefined && p.maximum < 1e12 ? p.maximum : null;
      let from = whole ? v - 5 : Math.min(v / 2, v * 2), to = whole ? v + 5 : Math.max(v / 2, v * 2);
      if (low !== null) from = Math.max(from, low);
      if (high !== null) to = Math.min(to, high);
      if (whole && low === null) from = Math.max(from, 0);
      const step = whole ? 1 : Math.max((to - from) / 10, 1e-9);
      return { from: String(+from.toPrecision(6)), to: String(+to.toPrecision(6)), step: String(+step.toPrecision(6)) };
    }
    function dimControl(k) {
      const select = el("select", { id: "sweep-path-" + k, "aria-label": "Parameter " + (k + 1) });
      const box = el("div", { class: "dim", "data-dim": String(k) }, el("strong", {}, "Parameter " + (k + 1)), select);
      const inputs = {}, typed = new Set();
      for (const name of ["from", "to", "step"]) {
        inputs[name] = el("input", { type: "number", step: "any", id: "sweep-" + name + "-" + k, "aria-describedby": "sweep-error" });
        inputs[name].addEventListener("input", () => typed.add(name));
        box.append(el("label", {}, name + " ", inputs[name]));
      }
      const unit = el("span", { class: "unit" });
      box.append(unit);
      let params = [];
      // The suggested range of the chosen parameter into every bound the room has not typed in.
      const fill = () => {
        const p = params.find((q) => q.path === select.value);
        unit.textContent = p ? unitText(p.unit) : "";
        const range = p ? suggestedRange(p) : { from: "", to: "", step: "" };
        for (const name of Object.keys(inputs)) if (!typed.has(name)) inputs[name].value = range[name];
      };
      select.addEventListener("change", () => { typed.clear(); fill(); });
      // The option's parameters as they are now: the list (the choice kept) and the suggested bounds follow them.
      box.refresh = (next) => {
        params = next;
        const chosen = select.value;
        const paths = (k === 1 ? [""] : []).concat(params.map((p) => p.path));
        if (paths.join("\n") !== Array.from(select.options, (o) => o.value).join("\n")) {
          select.replaceChildren(...(k === 1 ? [el("option", { value: "" }, "(none)")] : []),
            ...params.map((p) => el("option", { value: p.path }, p.name.replace(/_/g, " "))));
          if (paths.includes(chosen)) select.value = chosen;
          else { typed.clear(); if (k === 0 && params.length) select.value = (params.find((p) => p.written) || params[0]).path; }
        }
        fill();
      };
      box.refresh(sweepParameters());
      return box;
    }
    function renderSweepControls(force) {
      const select = $("sweep-option");
      const before = select.value;
      select.replaceChildren(...state.options.map((o) => el("option", { value: String(o.id) }, o.label + (o.changed ? " (changed)" : ""))));
      if (state.options.some((o) => String(o.id) === before)) select.value = before;
      if (force || before !== select.value || !$("sweep-dims").children.length) $("sweep-dims").replaceChildren(dimControl(0), dimControl(1));
      else for (const dim of $("sweep-dims").children) dim.refresh(sweepParameters());
    }
    function sweepError(text, field) {
      const p = $("sweep-error"); p.textContent = text || ""; p.hidden = !text;
      for (const i of document.querySelectorAll(".sweep input, .sweep select")) i.classList.remove("invalid");
      const m = field && /^vary\.(\d)(?:\.(from|to|step|path))?/.exec(field);
      if (m) {
        const target = m[2] === "path" ? $("sweep-path-" + m[1]) : m[2] ? $("sweep-" + m[2] + "-" + m[1]) : $("sweep-path-" + m[1]);
        if (target) target.classList.add("invalid");
      }
    }
    function renderSweepStatus() {
      const s = state.sweep;
      $("sweep-status").textContent = s.status === "running" ? "Computing variants: " + s.done + " of " + s.total + "…"
        : s.status === "ready" ? s.total + " variants computed" : s.status === "failed" && s.message !== "cancelled" ? "" : "";
      if (s.status === "failed" && s.message !== "cancelled") sweepError("The sweep failed: " + s.message);
      $("sweep-run").disabled = s.status === "running";
      if (s.status !== "ready" && sweepShown) {
        // The option changed (or was removed): its sweep is no longer the option on the page.
        sweepShown = null; $("sweep-chart").hidden = true; $("sweep-chart").replaceChildren(); $("sweep-table").replaceChildren();
        $("sweep-point").textContent = s.status === "none" ? "The option changed: run the sweep again." : "";
      }
    }
    async function showSweep() {
      const r = await api("GET", "sweep");
      if (r.progress.status !== "ready") return;
      sweepShown = r;
      const figure = $("sweep-chart");
      figure.innerHTML = r.chart; figure.hidden = false;
      $("sweep-point").textContent = r.label + ": " + r.rows.length + " variants of " + r.parameters.map((p) => p.replace(/_/g, " ")).join(" and ") + ".";
      const box = $("sweep-table"); box.replaceChildren();
      const t = r.table;
      box.append(el("h3", {}, t.title), el("table", { id: "table-" + t.id },
        el("thead", {}, el("tr", {}, ...t.columns.map((c) => el("th", {}, c)))),
        el("tbody", {}, ...t.rows.map((row) => el("tr", {}, ...row.map((c) => el("td", {}, c)))))));
      for (const n of t.notes) box.append(el("p", { class: "hint" }, n));
    }
    async function pollSweep() {
      for (let i = 0; i < 36000; i++) {
        const r = await api("GET", "sweep");
        state.sweep = r.progress; renderSweepStatus();
        if (r.progress.status !== "running") break;
        await new Promise((res) => setTimeout(res, 300));
      }
      if (state.sweep.status === "ready") await showSweep();
    }

    function render() {
      renderFacts(); renderOptions(); renderTable(); renderCharts(); renderCoverage(); renderIntervals(); renderBands();
      renderSweepControls(false); renderSweepStatus();
    }

    async function pollIntervals() {
      for (let i = 0; i < 3600; i++) {
        const p = await api("GET", "intervals");
        state.intervals = p; renderIntervals();
        if (p.status !== "running") break;
        await new Promise((r) => setTimeout(r, 300));
      }
      state = await api("GET", "state"); render();
    }

    async function requestBands(n) {
      const input = $("replications"), message = $("bands-error");
      try {
        const p = await api("POST", "bands", { replications: n });
        bandsWanted = n; state.bands = p; renderBands();
        await pollBands();
      } catch (e) {
        bandsWanted = null; renderBands();
        message.textContent = e.body ? e.body.error : e.message; message.hidden = false; input.classList.add("invalid");
      }
    }

    let bandsPoll = 0;
    async function pollBands() {
      const mine = ++bandsPoll;  // a newer poll (bands asked again after a change) replaces this one
      for (let i = 0; i < 36000; i++) {
        const p = await api("GET", "bands");
        if (mine !== bandsPoll) return;
        state.bands = p; renderBands();
        if (p.status !== "running") break;
        await new Promise((r) => setTimeout(r, 300));
      }
      state = await api("GET", "state"); render();
    }

    async function start() {
      if (!token) { pageError("This page needs its session token: open the address simrun serve printed (it ends with ?token=…)."); return; }
      try {
        scenarios = (await api("GET", "scenarios")).scenarios;
        state = await api("GET", "state");
        render();
        setStatus("Ready");
      } catch (e) { pageError(e.body ? e.body.error : e.message); }
      $("year").addEventListener("change", () => {
        const v = $("year").value;
        change("POST", "year", { year: v === "" ? null : Number(v) });
      });
      $("intervals").addEventListener("click", async () => {
        try { await api("POST", "intervals", { method: "linearized" }); await pollIntervals(); }
        catch (e) { pageError(e.body ? e.body.error : e.message); }
      });
      $("bands").addEventListener("click", async () => {
        const input = $("replications"), message = $("bands-error");
        message.hidden = true; input.classList.remove("invalid");
        if (bandsWanted) {
          bandsWanted = null;
          try { state = await api("DELETE", "bands"); render(); } catch (e) { pageError(e.body ? e.body.error : e.message); }
          return;
        }
        const n = Number(input.value);
        if (input.value.trim() === "" || !Number.isInteger(n)) {
          message.textContent = "Type a whole number of draws."; message.hidden = false; input.classList.add("invalid"); return;
        }
        await requestBands(n);
      });
      $("replications").addEventListener("change", () => { if (bandsWanted) { bandsWanted = null; renderBands(); } });
      $("sweep-option").addEventListener("change", () => renderSweepControls(true));
      $("sweep-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        sweepError("");
        const vary = [];
        for (const k of [0, 1]) {
          const path = $("sweep-path-" + k).value;
          if (!path) continue;
          const d = { path };
          for (const name of ["from", "to", "step"]) {
            const input = $("sweep-" + name + "-" + k);
            if (input.value.trim() === "" || !Number.isFinite(Number(input.value))) { sweepError("Type a number for '" + name + "'.", "vary." + k + "." + name); return; }
            d[name] = Number(input.value);
          }
          vary.push(d);
        }
        try {
          const r = await api("POST", "sweep", { option: Number($("sweep-option").value), vary });
          state.sweep = r.progress; renderSweepStatus();
          await pollSweep();
        } catch (e) { sweepError(e.body ? e.body.error : e.message, e.body ? e.body.field : null); }
      });
      $("sweep-chart").addEventListener("mouseover", (e) => {
        const t = e.target.closest("circle");
        const title = t && t.querySelector("title");
        if (title) $("sweep-point").textContent = title.textContent;
      });
      $("pack").addEventListener("click", async () => {
        setStatus("Writing the pack…");
        try {
          const blob = await api("GET", "pack");
          const a = el("a", { href: URL.createObjectURL(blob), download: "simrun-report.zip" });
          document.body.append(a); a.click(); a.remove();
          setStatus("Pack downloaded");
        } catch (e) { setStatus(""); pageError(e.body ? e.body.error : e.message); }
      });
    }
    document.addEventListener("DOMContentLoaded", start);
    """#
}
