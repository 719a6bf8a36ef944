// The sandbox page: pick who you are, type /mentor …, see what that person sees, click, submit, move time.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { user: null, people: {}, channels: {}, calls: 0, lastSeen: "", modalErrors: {}, busy: false };

  async function api(path, body) {
    const options = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const answer = await fetch(path, options);
    return answer.json();
  }

  function status(text) { $("status").textContent = text; }

  async function loadPeople() {
    const data = await api("/api/people");
    const who = $("who");
    state.channels = data.channels || {};
    data.people.forEach((p) => {
      state.people[p.id] = p.name;
      const opt = document.createElement("option");
      opt.value = p.id;
      opt.textContent = p.name + " · " + p.title + " · " + p.tz;
      who.appendChild(opt);
    });
    const wanted = new URLSearchParams(location.search).get("user");
    state.user = wanted && state.people[wanted] ? wanted : who.value;
    who.value = state.user;
  }

  function ctxFor(where) {
    return {
      people: state.people,
      channels: state.channels,
      errors: where.kind === "view" ? state.modalErrors : {},
      onAction: async (action, blockId) => {
        const w = Object.assign({}, where);
        if (where.kind === "view") w.values = BlockKit.stateOf(where.home ? $("home") : $("modal"));
        else if (where.node) { w.values = BlockKit.stateOf(where.node()); }
        delete w.node; delete w.home;
        status("sending " + (action.action_id || action.type) + "…");
        const reply = await api("/api/action", { user: state.user, where: w, action: action });
        status(reply.status === 200 ? "" : "the bot answered HTTP " + reply.status);
        refresh();
      },
    };
  }

  function message(m, where, cls) {
    const box = document.createElement("div");
    box.className = "msg " + (cls || "");
    const w = Object.assign({ node: () => box }, where);
    box.appendChild(BlockKit.render(m.blocks, ctxFor(w), m.text));
    (m.files || []).forEach((f) => {
      const file = document.createElement("div");
      file.className = "file";
      const a = document.createElement("a");
      a.href = "/files/" + encodeURIComponent(f.id);
      a.target = "_blank";
      a.textContent = "📎 " + (f.title || f.name);
      file.appendChild(a);
      box.appendChild(file);
    });
    return box;
  }

  function draw(seen) {
    $("now").textContent = "🕒 " + new Date(seen.now).toUTCString();
    const answers = $("answers");
    answers.replaceChildren();
    seen.answers.forEach((a) => answers.appendChild(message(a, { kind: "response", slot: a.slot }, "ephemeral")));
    seen.ephemerals.forEach((e, i) => answers.appendChild(message(e, { kind: "ephemeral", index: i }, "ephemeral")));
    if (!answers.children.length) answers.textContent = "Nothing yet: type /mentor help.";
    const convs = $("conversations");
    convs.replaceChildren();
    seen.conversations.forEach((c) => {
      const box = document.createElement("div");
      box.className = "conv" + (c.group ? " group" : " dm");
      box.dataset.channel = c.id;
      const title = document.createElement("div");
      title.className = "title";
      title.textContent = (c.group ? "Group DM with " : "DM with ") + c.with.join(", ");
      box.appendChild(title);
      c.messages.forEach((m) => box.appendChild(message(m, { kind: "message", channel: c.id, ts: m.ts })));
      convs.appendChild(box);
    });
    const home = $("home");
    home.replaceChildren();
    if (seen.home) home.appendChild(BlockKit.render(seen.home.blocks, ctxFor({ kind: "view", view_id: seen.home.id, home: true }), ""));
    else home.textContent = "Not published yet.";
    drawModal(seen.modal);
  }

  function drawModal(view) {
    const backdrop = $("modal-backdrop");
    const modal = $("modal");
    if (!view) { backdrop.hidden = true; modal.replaceChildren(); modal.dataset.viewId = ""; modal.dataset.hash = ""; return; }
    if (modal.dataset.viewId === view.id && modal.dataset.hash === view.hash && !state.redrawModal) return; // keep what is typed
    state.redrawModal = false;
    backdrop.hidden = false;
    modal.replaceChildren();
    modal.dataset.viewId = view.id;
    modal.dataset.hash = view.hash;
    const title = document.createElement("div");
    title.className = "modal-title";
    title.textContent = view.title ? view.title.text : "";
    modal.appendChild(title);
    const ctx = ctxFor({ kind: "view", view_id: view.id });
    const blocks = BlockKit.render(view.blocks, ctx, "");
    modal.appendChild(blocks);
    const buttons = document.createElement("div");
    buttons.className = "modal-buttons";
    const close = document.createElement("button");
    close.textContent = view.close ? view.close.text : "Cancel";
    close.id = "modal-close";
    close.addEventListener("click", async () => { await api("/api/close", { view_id: view.id }); state.modalErrors = {}; refresh(); });
    buttons.appendChild(close);
    if (view.submit) {
      const submit = document.createElement("button");
      submit.textContent = view.submit.text;
      submit.id = "modal-submit";
      submit.className = "bk-button primary";
      submit.addEventListener("click", async () => {
        status("submitting…");
        const reply = await api("/api/submit", { user: state.user, view_id: view.id, values: BlockKit.stateOf(modal) });
        const answer = reply.answer || {};
        state.modalErrors = answer.response_action === "errors" ? answer.errors || {} : {};
        state.redrawModal = true;
        status(answer.response_action === "errors" ? "the bot refused some fields" : "");
        refresh();
      });
      buttons.appendChild(submit);
    }
    modal.appendChild(buttons);
  }

  async function refresh() {
    if (!state.user) return;
    const seen = await api("/api/seen?user=" + encodeURIComponent(state.user));
    const key = JSON.stringify(seen) + JSON.stringify(state.modalErrors);
    if (key !== state.lastSeen || state.redrawModal) { state.lastSeen = key; draw(seen); }
    const calls = await api("/api/calls?since=" + state.calls);
    const list = $("calls");
    calls.calls.forEach((c) => {
      const li = document.createElement("li");
      const d = document.createElement("details");
      const s = document.createElement("summary");
      s.textContent = c.method + (c.response && c.response.ok ? " ✓" : " ✗ " + ((c.response && c.response.error) || c.status));
      d.appendChild(s);
      const pre = document.createElement("pre");
      pre.textContent = "arguments: " + JSON.stringify(c.args, null, 1) + "\n\nanswer: " + JSON.stringify(c.response, null, 1);
      d.appendChild(pre);
      li.appendChild(d);
      list.appendChild(li);
      state.calls = c.n + 1;
    });
  }

  async function clock(by) { status("moving the clock…"); await api("/api/clock", { by: by }); status(""); refresh(); }

  document.addEventListener("DOMContentLoaded", async () => {
    await loadPeople();
    const openHome = async () => { await api("/api/home", { user: state.user }); refresh(); };
    $("who").addEventListener("change", () => { state.user = $("who").value; state.lastSeen = ""; state.modalErrors = {}; openHome(); });
    $("command-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = $("command").value;
      status("/mentor " + text + " …");
      const reply = await api("/api/command", { user: state.user, text: text });
      status(reply.status === 200 ? "" : "the bot answered HTTP " + reply.status);
      $("command").value = "";
      refresh();
    });
    $("plus-hour").addEventListener("click", () => clock("hour"));
    $("plus-day").addEventListener("click", () => clock("day"));
    $("to-coffee").addEventListener("click", () => clock("coffee"));
    $("run-due").addEventListener("click", async () => { await api("/api/run-due", {}); refresh(); });
    openHome();
    setInterval(refresh, 800);
  });
})();
