// A small Block Kit renderer: the blocks and elements mentorbot sends, drawn as plain DOM.
// render(blocks, ctx) -> element; ctx.onAction(action, blockId) is called for clicks and picks;
// ctx.errors maps block_id -> message (a modal's response_action: errors); ctx.people maps user ids to names.
(function () {
  "use strict";

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function unescapeSlack(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // mrkdwn -> safe HTML: links, mentions, *bold*, _italic_, ~strike~, `code`, > quotes, new lines.
  function mrkdwn(text, ctx) {
    const parts = [];
    let last = 0;
    const re = /<([^<>]+)>/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      parts.push(inline(unescapeSlack(text.slice(last, m.index))));
      parts.push(special(m[1], ctx));
      last = re.lastIndex;
    }
    parts.push(inline(unescapeSlack(text.slice(last))));
    return parts.join("").replace(/\n/g, "<br>");
  }

  function special(inner, ctx) {
    const [target, label] = inner.split("|", 2);
    if (target.startsWith("@")) {
      const id = target.slice(1);
      return '<b class="mention">@' + escapeHtml((ctx.people && ctx.people[id]) || label || id) + "</b>";
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      return '<b class="channel">#' + escapeHtml(label || (ctx.channels && ctx.channels[id]) || id) + "</b>";
    }
    if (target.startsWith("!date")) return escapeHtml(unescapeSlack(label || target));
    if (target.startsWith("!")) return "<b>@" + escapeHtml(target.slice(1)) + "</b>";
    const url = unescapeSlack(target);
    if (!/^(https?:|mailto:)/.test(url)) return escapeHtml(unescapeSlack(label || target));
    return '<a href="' + escapeHtml(url) + '" target="_blank" rel="noopener">' + escapeHtml(unescapeSlack(label || target)) + "</a>";
  }

  // The shortcodes the bot writes (and a few common ones), as Slack's clients show them; others stay text.
  const EMOJI = {
    coffee: "\u2615", white_check_mark: "\u2705", tada: "\ud83c\udf89", wave: "\ud83d\udc4b",
    calendar: "\ud83d\udcc5", star: "\u2b50", relieved: "\ud83d\ude0c", page_facing_up: "\ud83d\udcc4",
    hourglass: "\u231b", handshake: "\ud83e\udd1d", alarm_clock: "\u23f0", warning: "\u26a0\ufe0f",
    x: "\u274c", bulb: "\ud83d\udca1", sparkles: "\u2728", seedling: "\ud83c\udf31", bell: "\ud83d\udd14",
    thumbsup: "\ud83d\udc4d", "+1": "\ud83d\udc4d", pray: "\ud83d\ude4f", memo: "\ud83d\udcdd",
    busts_in_silhouette: "\ud83d\udc65", office: "\ud83c\udfe2", computer: "\ud83d\udcbb",
    fork_and_knife: "\ud83c\udf74", clock3: "\ud83d\udd52", mag: "\ud83d\udd0d", bar_chart: "\ud83d\udcca",
  };

  function emoji(h) {
    // Not inside <code>/<pre>: split on them and replace only outside.
    return h.split(/(<pre>[\s\S]*?<\/pre>|<code>[^<]*<\/code>)/).map((part, i) =>
      i % 2 ? part : part.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all)
    ).join("");
  }

  function inline(s) {
    let h = escapeHtml(s);
    h = h.replace(/```([\s\S]+?)```/g, "<pre>$1</pre>");
    h = h.replace(/`([^`]+)`/g, "<code>$1</code>");
    h = h.replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>");
    h = h.replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>");
    h = h.replace(/(^|[\s(])~([^~\n]+)~/g, "$1<s>$2</s>");
    h = h.replace(/(^|\n)&gt; ?([^\n]*)/g, "$1<blockquote>$2</blockquote>");
    return emoji(h);
  }

  function textNode(obj, ctx, cls) {
    const node = el("span", cls);
    if (!obj) return node;
    if (obj.type === "mrkdwn") node.innerHTML = mrkdwn(obj.text || "", ctx);
    else node.textContent = obj.text || "";
    return node;
  }

  function optionText(opt) {
    return opt && opt.text ? opt.text.text : "";
  }

  // ---- interactive elements (each carries data for the view's state) -----------------------------------

  function button(e, blockId, ctx) {
    const b = el("button", "bk-button" + (e.style ? " " + e.style : ""), e.text ? e.text.text : "");
    b.type = "button";
    b.dataset.actionId = e.action_id || "";
    if (e.url) {
      b.addEventListener("click", () => window.open(e.url, "_blank", "noopener"));
      return b;
    }
    b.addEventListener("click", () =>
      ctx.onAction({ type: "button", action_id: e.action_id, block_id: blockId, value: e.value, text: e.text }, blockId)
    );
    return b;
  }

  function staticSelect(e, blockId, ctx, dispatch) {
    const s = el("select", "bk-select");
    s.dataset.actionId = e.action_id || "";
    s.dataset.kind = "static_select";
    const blank = el("option", null, e.placeholder ? e.placeholder.text : "Choose…");
    blank.value = "";
    s.appendChild(blank);
    const options = allOptions(e);
    options.forEach((o) => {
      const opt = el("option", null, optionText(o));
      opt.value = o.value;
      s.appendChild(opt);
    });
    if (e.initial_option) s.value = e.initial_option.value;
    s._options = options;
    if (dispatch) {
      s.addEventListener("change", () => {
        const chosen = options.find((o) => o.value === s.value);
        if (chosen)
          ctx.onAction({ type: "static_select", action_id: e.action_id, block_id: blockId, selected_option: chosen }, blockId);
      });
    }
    return s;
  }

  function allOptions(e) {
    if (e.options) return e.options;
    return (e.option_groups || []).flatMap((g) => g.options || []);
  }

  function multiSelect(e) {
    const s = el("select", "bk-multi");
    s.multiple = true;
    s.dataset.actionId = e.action_id || "";
    s.dataset.kind = "multi_static_select";
    const options = allOptions(e);
    const initial = new Set((e.initial_options || []).map((o) => o.value));
    options.forEach((o) => {
      const opt = el("option", null, optionText(o));
      opt.value = o.value;
      opt.selected = initial.has(o.value);
      s.appendChild(opt);
    });
    s._options = options;
    return s;
  }

  function choices(e, kind) {
    const box = el("div", "bk-" + kind);
    box.dataset.actionId = e.action_id || "";
    box.dataset.kind = kind;
    const name = "r" + Math.random().toString(36).slice(2);
    const initial = new Set(
      (e.initial_options || (e.initial_option ? [e.initial_option] : [])).map((o) => o.value)
    );
    box._options = e.options || [];
    (e.options || []).forEach((o) => {
      const label = el("label");
      const input = el("input");
      input.type = kind === "checkboxes" ? "checkbox" : "radio";
      input.name = name;
      input.value = o.value;
      input.checked = initial.has(o.value);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + optionText(o)));
      box.appendChild(label);
      box.appendChild(el("br"));
    });
    return box;
  }

  function picker(e, kind, blockId, ctx, dispatch) {
    const input = el("input", "bk-" + kind);
    input.type = kind === "datepicker" ? "date" : "time";
    input.dataset.actionId = e.action_id || "";
    input.dataset.kind = kind;
    const initial = kind === "datepicker" ? e.initial_date : e.initial_time;
    if (initial) input.value = initial;
    if (dispatch) {
      input.addEventListener("change", () => {
        const action = { type: kind, action_id: e.action_id, block_id: blockId };
        action[kind === "datepicker" ? "selected_date" : "selected_time"] = input.value;
        ctx.onAction(action, blockId);
      });
    }
    return input;
  }

  function overflow(e, blockId, ctx) {
    const s = el("select", "bk-overflow");
    s.dataset.actionId = e.action_id || "";
    const blank = el("option", null, "⋯");
    blank.value = "";
    s.appendChild(blank);
    (e.options || []).forEach((o) => {
      const opt = el("option", null, optionText(o));
      opt.value = o.value;
      s.appendChild(opt);
    });
    s.addEventListener("change", () => {
      const chosen = (e.options || []).find((o) => o.value === s.value);
      if (chosen) ctx.onAction({ type: "overflow", action_id: e.action_id, block_id: blockId, selected_option: chosen }, blockId);
    });
    return s;
  }

  function plainInput(e) {
    const input = el(e.multiline ? "textarea" : "input", "bk-text");
    input.dataset.actionId = e.action_id || "";
    input.dataset.kind = "plain_text_input";
    if (e.placeholder) input.placeholder = e.placeholder.text;
    if (e.initial_value) input.value = e.initial_value;
    if (e.max_length) input.maxLength = e.max_length;
    return input;
  }

  function element(e, blockId, ctx, dispatch) {
    switch (e.type) {
      case "button": return button(e, blockId, ctx);
      case "static_select": return staticSelect(e, blockId, ctx, dispatch);
      case "multi_static_select": return multiSelect(e);
      case "overflow": return overflow(e, blockId, ctx);
      case "datepicker": return picker(e, "datepicker", blockId, ctx, dispatch);
      case "timepicker": return picker(e, "timepicker", blockId, ctx, dispatch);
      case "checkboxes": return choices(e, "checkboxes");
      case "radio_buttons": return choices(e, "radio_buttons");
      case "plain_text_input": return plainInput(e);
      case "number_input": { const i = plainInput(e); i.type = "number"; i.dataset.kind = "number_input"; return i; }
      case "image": { const img = el("img"); img.src = e.image_url; img.alt = e.alt_text || ""; img.width = 48; return img; }
      default: return el("span", "unknown", "[" + e.type + "]");
    }
  }

  // ---- blocks ------------------------------------------------------------------------------------------

  function block(b, ctx) {
    const node = el("div", "block " + b.type);
    node.dataset.blockId = b.block_id || "";
    switch (b.type) {
      case "section": {
        const row = el("div", "section-row");
        const left = el("div");
        if (b.text) left.appendChild(textNode(b.text, ctx));
        if (b.fields) {
          const fields = el("div", "fields");
          b.fields.forEach((f) => fields.appendChild(textNode(f, ctx)));
          left.appendChild(fields);
        }
        row.appendChild(left);
        if (b.accessory) row.appendChild(element(b.accessory, b.block_id, ctx, true));
        node.appendChild(row);
        break;
      }
      case "header": node.appendChild(textNode(b.text, ctx)); break;
      case "divider": node.appendChild(el("hr")); break;
      case "context":
        (b.elements || []).forEach((e) => {
          if (e.type === "image") {
            const img = el("img"); img.src = e.image_url; img.alt = e.alt_text || ""; img.width = 16; node.appendChild(img);
          } else node.appendChild(textNode(e, ctx));
          node.appendChild(document.createTextNode(" "));
        });
        break;
      case "image": {
        if (b.title) node.appendChild(textNode(b.title, ctx, "image-title"));
        const img = el("img"); img.src = b.image_url; img.alt = b.alt_text || "";
        node.appendChild(img);
        break;
      }
      case "actions": {
        const row = el("div", "actions");
        (b.elements || []).forEach((e) => row.appendChild(element(e, b.block_id, ctx, true)));
        node.appendChild(row);
        break;
      }
      case "input": {
        const label = el("label");
        label.appendChild(textNode(b.label, ctx));
        if (b.optional) label.appendChild(el("span", "hint", " (optional)"));
        node.appendChild(label);
        node.appendChild(element(b.element, b.block_id, ctx, !!b.dispatch_action));
        if (b.hint) node.appendChild(textNode(b.hint, ctx, "hint"));
        const error = ctx.errors && ctx.errors[b.block_id];
        if (error) node.appendChild(el("div", "error", error));
        break;
      }
      case "rich_text": node.appendChild(el("span", null, JSON.stringify(b.elements).slice(0, 200))); break;
      default: node.appendChild(el("span", "unknown", "[" + b.type + " block]"));
    }
    return node;
  }

  function render(blocks, ctx, fallbackText) {
    const box = el("div", "blocks");
    if (!blocks || !blocks.length) {
      box.appendChild(textNode({ type: "mrkdwn", text: fallbackText || "" }, ctx));
      return box;
    }
    blocks.forEach((b) => box.appendChild(block(b, ctx)));
    return box;
  }

  // The view's state, as Slack sends it: block_id -> action_id -> value object.
  function stateOf(root) {
    const values = {};
    root.querySelectorAll("[data-kind]").forEach((node) => {
      const blockNode = node.closest("[data-block-id]");
      const blockId = blockNode ? blockNode.dataset.blockId : "";
      const actionId = node.dataset.actionId;
      const kind = node.dataset.kind;
      const options = node._options || [];
      let value;
      if (kind === "plain_text_input" || kind === "number_input") value = { type: kind, value: node.value === "" ? null : node.value };
      else if (kind === "static_select") value = { type: kind, selected_option: options.find((o) => o.value === node.value) || null };
      else if (kind === "multi_static_select") {
        const chosen = new Set(Array.from(node.selectedOptions).map((o) => o.value));
        value = { type: kind, selected_options: options.filter((o) => chosen.has(o.value)) };
      } else if (kind === "checkboxes") {
        const chosen = new Set(Array.from(node.querySelectorAll("input:checked")).map((i) => i.value));
        value = { type: kind, selected_options: options.filter((o) => chosen.has(o.value)) };
      } else if (kind === "radio_buttons") {
        const input = node.querySelector("input:checked");
        value = { type: kind, selected_option: input ? options.find((o) => o.value === input.value) : null };
      } else if (kind === "datepicker") value = { type: kind, selected_date: node.value || null };
      else if (kind === "timepicker") value = { type: kind, selected_time: node.value || null };
      if (value) (values[blockId] = values[blockId] || {})[actionId] = value;
    });
    return values;
  }

  window.BlockKit = { render, stateOf, mrkdwn, textNode };
})();
