// Klubba's one browser module: the meeting socket (commands, events, reconnect and resync)
// and the drawing of the meeting room, the secretary's console and the public live view.
//
// State comes from the server only: the page starts from the JSON the view rendered, every
// event is listed and announced, and the page then re-reads its state (state.json) so it never
// guesses a rule. Every change is a command frame; a refusal's message is shown in #alert.

const $ = (id) => document.getElementById(id);
const readJSON = (id) => JSON.parse($(id).textContent);

const config = readJSON("klubba-config");
const T = readJSON("klubba-text");
let state = readJSON("klubba-state");
const isPublic = config.page === "public";

// --- small helpers -------------------------------------------------------------------------

function fmt(template, values) {
  return String(template || "").replace(/%\((\w+)\)s/g, (_, key) =>
    values && values[key] !== undefined && values[key] !== null ? String(values[key]) : "");
}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function fill(id, ...children) {
  const el = $(id);
  if (!el) return null;
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return el;
}

function show(id, visible) {
  const el = $(id);
  if (el) el.hidden = !visible;
}

function announce(text) {
  const el = $("announce");
  if (!el || !text) return;
  el.textContent = "";
  // A fresh text node after a tick makes screen readers announce repeated messages too.
  setTimeout(() => { el.textContent = text; }, 30);
}

function alertError(text) {
  const el = $("alert");
  if (!el) return;
  el.textContent = "";
  setTimeout(() => { el.textContent = text; }, 30);
}

function clearAlert() {
  const el = $("alert");
  if (el) el.textContent = "";
}

// --- errors next to their control ------------------------------------------------------------
// A refusal is shown where the eye is: in the nearest static container of the control that was
// used ([data-error-host], else its section), and read out through the #alert live region.
// (#alert is then only for screen readers; it stays visible for errors without a control.)

function errorHost(origin) {
  if (!origin || !origin.closest) return null;
  if (!origin.isConnected && origin.dataset && origin.dataset.key) {
    // Re-drawn since the click: the new button with the same key stands in the same place.
    origin = document.querySelector(`[data-key="${CSS.escape(origin.dataset.key)}"]`) || origin;
  }
  const host = origin.closest("[data-error-host]") || origin.closest("section, details, form");
  return host && host.isConnected ? host : null;
}

function showErrorAt(origin, text) {
  const host = errorHost(origin);
  const alertEl = $("alert");
  if (!host) {
    if (alertEl) alertEl.classList.remove("visually-hidden");
    alertError(text);
    return;
  }
  // A refusal inside a folded tool would be invisible: unfold it.
  const folded = host.closest("details:not([open])");
  if (folded) folded.open = true;
  let slot = host.querySelector(":scope > .inline-error");
  if (!slot) {
    slot = h("p", { class: "inline-error", id: newId("err") });
    host.append(slot);
  }
  slot.textContent = text;
  if (origin.setAttribute && origin.id) origin.setAttribute("aria-describedby", slot.id);
  if (alertEl) alertEl.classList.add("visually-hidden");
  alertError(text);
}

function clearErrorAt(origin) {
  const host = errorHost(origin);
  const slot = host && host.querySelector(":scope > .inline-error");
  if (slot) slot.remove();
}

// A clearer text than the code's general message where the details say what is missing.
function errorText(name, error, fallback) {
  const d = (error && error.details) || {};
  const why = T.why || {};
  const code = error && error.code;
  if (code === "invalid_argument" && d.reason && why[d.reason]) return why[d.reason];
  if (code === "invalid_argument" && d.field && why[`${name}:${d.field}`]) return why[`${name}:${d.field}`];
  if (code === "invalid_argument" && d.field && why[`field:${d.field}`]) return why[`field:${d.field}`];
  if (code === "reservation_not_allowed" && d.reason && why[`reservation:${d.reason}`]) {
    return why[`reservation:${d.reason}`];
  }
  return fallback;
}

// The connection is back: a "connection lost" refusal from the drop is no longer true.
function clearConnectionErrors() {
  const alertEl = $("alert");
  if (alertEl && alertEl.textContent === T.disconnected) clearAlert();
  for (const slot of document.querySelectorAll(".inline-error")) {
    if (slot.textContent === T.disconnected) slot.remove();
  }
}

// --- the socket ----------------------------------------------------------------------------

let socket = null;
let attempt = 0;
let reconnectTimer = null;
let heartbeat = null;
let lastSeq = state.seq || 0;   // highest event seq this page has seen
let wasConnected = false;       // connected at least once (a later snapshot is a reconnect)
let live = false;               // connected now
let syncBase = null;            // the seq we had when the connection dropped
const pending = new Map();      // command id -> {resolve, name}
let counter = 0;

function newId(prefix) {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}-${counter}-${rand}`.slice(0, 64);
}

function setConnection(kind) {
  const el = $("conn");
  if (el) {
    el.dataset.state = kind;
    el.textContent = T[kind] || kind;
  }
  show("offline-banner", kind === "disconnected");
  if (kind === "connected") clearConnectionErrors();
  document.body.dataset.connection = kind;
}

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const lang = encodeURIComponent(document.documentElement.lang || "sv");
  // snapshot=head: the page reads its state from config.state_url, so the socket's snapshot
  // only needs the stream's position (the full one is hundreds of KB in a big meeting).
  return `${scheme}//${location.host}${config.socket}?lang=${lang}&snapshot=head`;
}

// --- a session that ended: stop, and say how to go on ---------------------------------------
// session_revoked (logged out, revoked on the sessions page) and session_expired (idle too
// long) close the socket with 4401; reconnecting with the same cookie can never work, so the
// page stops trying and offers the login page, which brings the member back here.
let sessionEnded = null;           // the code that ended the session, once it has

function loginUrl() {
  return `${config.login_url || "/accounts/login/"}?next=${encodeURIComponent(location.pathname + location.search)}`;
}

function endSession(code) {
  if (sessionEnded) return;
  sessionEnded = code || "session_revoked";
  clearTimeout(reconnectTimer);
  stopHeartbeat();
  const text = sessionEnded === "session_expired" ? T.session_expired_text
    : sessionEnded === "session_revoked" ? T.session_revoked_text : T.session_login_text;
  setConnection("session_ended");
  show("offline-banner", false);
  let banner = $("session-ended");
  if (!banner) {
    banner = h("div", { id: "session-ended", class: "banner offline", role: "alert" });
    const main = document.querySelector("main") || document.body;
    main.prepend(banner);
  }
  banner.replaceChildren(h("p", {}, text, " ", h("a", { href: loginUrl(), id: "session-login" }, T.log_in_again)));
  for (const b of document.querySelectorAll("[data-key]")) if (b.tagName === "BUTTON") b.disabled = true;
}

const SESSION_ENDED_CODES = ["session_revoked", "session_expired", "authentication_required"];

// step_up_required: a fresh second factor is needed for a secret ballot. Take the member to the
// step-up page, which returns here (?next=); the ballot is cast again on the same socket.
function stepUp(error, origin) {
  const details = (error && error.details) || {};
  const base = details.url || config.step_up_url || "/konto/tvastegs/verifiera/";
  const url = `${base}${base.includes("?") ? "&" : "?"}next=${encodeURIComponent(location.pathname + location.search)}`;
  const host = errorHost(origin);
  const note = h("p", { class: "inline-error", id: "step-up-note" }, T.step_up_needed, " ",
    h("a", { href: url }, T.step_up_link));
  if (host) {
    const old = host.querySelector(":scope > .inline-error");
    if (old) old.remove();
    host.append(note);
  }
  announce(T.step_up_needed);
  location.assign(url);
}

function connect() {
  clearTimeout(reconnectTimer);
  if (sessionEnded) return;
  if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) {
    return;
  }
  setConnection(wasConnected ? "disconnected" : "connecting");
  let ws;
  try {
    ws = new WebSocket(socketUrl());
  } catch (err) {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.addEventListener("open", () => {
    if (socket !== ws) return;
    attempt = 0;
    startHeartbeat(ws);
  });
  ws.addEventListener("message", (message) => {
    if (socket !== ws) return;
    let frame;
    try { frame = JSON.parse(message.data); } catch (err) { return; }
    onFrame(frame);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    stopHeartbeat();
    for (const [, waiter] of pending) waiter.resolve({ ok: false, error: { code: "disconnected", message: T.disconnected } });
    pending.clear();
    if (wasConnected && syncBase === null) syncBase = lastSeq;
    if (sessionEnded || event.code === 4401) {
      // The session ended or is missing (the error frame before the close said which).
      live = false;
      endSession("authentication_required");
      return;
    }
    setConnection("disconnected");
    if (live) announce(T.disconnected);  // once per drop, not per failed retry
    live = false;
    if (event.code === 4403 || event.code === 4404) {
      // Refused (not a participant, no such meeting): retrying will not help.
      return;
    }
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  clearTimeout(reconnectTimer);
  if (sessionEnded) return;
  if (navigator.onLine === false) return;  // the "online" event reconnects
  // Exponential backoff with full jitter: 0.1 s plus a random share of 1 s, 2 s, 4 s ... at
  // most 30 s. When a server process restarts, the thousand pages it dropped spread their
  // reconnects over the window instead of arriving together (docs/performance.md).
  const delay = 100 + Math.random() * Math.min(30000, 1000 * 2 ** attempt);
  attempt += 1;
  reconnectTimer = setTimeout(connect, delay);
}

function startHeartbeat(ws) {
  stopHeartbeat();
  let waiting = null;
  heartbeat = setInterval(() => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (waiting !== null) { ws.close(); return; }  // no pong since the last ping: dead link
    waiting = newId("ping");
    ws.send(JSON.stringify({ v: 1, type: "ping", id: waiting }));
  }, 15000);
  ws.addEventListener("message", (message) => {
    try {
      const frame = JSON.parse(message.data);
      if (frame.type === "pong" && frame.id === waiting) waiting = null;
    } catch (err) { /* not ours */ }
  });
}

function stopHeartbeat() {
  clearInterval(heartbeat);
  heartbeat = null;
}

window.addEventListener("offline", () => {
  if (socket) socket.close();
  else setConnection("disconnected");
});
window.addEventListener("online", () => {
  attempt = 0;
  connect();
});

function send(frame) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

// opts.origin: the control (button or form) that asked, so a refusal is shown next to it;
// opts.okCodes: error codes that mean "already done" for this caller (no error shown).
let lastControl = null;  // the button or form the person used last (a refusal is shown there)
document.addEventListener("click", (event) => {
  const el = event.target.closest && event.target.closest("button, summary");
  if (el) lastControl = viaPath || el;
}, true);
document.addEventListener("submit", (event) => { lastControl = event.target; }, true);

function command(name, args, opts) {
  const { origin = lastControl, okCodes = [] } = opts || {};
  const id = newId(name.replace(/[^a-z0-9]/g, "-"));
  return new Promise((resolve) => {
    if (!send({ v: 1, type: "command", id, name, args: args || {} })) {
      resolve({ ok: false, error: { code: "disconnected", message: T.disconnected } });
      return;
    }
    pending.set(id, { resolve, name });
  }).then((reply) => {
    const code = reply.error && reply.error.code;
    if (code === "step_up_required") {
      stepUp(reply.error, origin);
      return reply;
    }
    if (reply.ok || okCodes.includes(code)) {
      clearAlert();
      clearErrorAt(origin);
      // The person has moved on: earlier refusals elsewhere on the page are no longer news.
      for (const slot of document.querySelectorAll(".inline-error")) slot.remove();
    } else {
      const text = (T.errors && T.errors[code]) || (reply.error && reply.error.message) || T.internal_error;
      showErrorAt(origin, errorText(name, reply.error, text));
    }
    return reply;
  });
}

function onFrame(frame) {
  switch (frame.type) {
    case "snapshot":
      onSnapshot(frame);
      break;
    case "event":
      onEvent(frame);
      break;
    case "progress":
      onProgress(frame);
      break;
    case "reply": {
      const waiter = pending.get(frame.id);
      if (waiter) {
        pending.delete(frame.id);
        waiter.resolve(frame);
      } else if (frame.id && frame.id.startsWith("sync-")) {
        onSynced(frame);
      }
      break;
    }
    case "error":
      if (frame.error && SESSION_ENDED_CODES.includes(frame.error.code)) {
        endSession(frame.error.code);  // the close (4401) that follows changes nothing more
      } else if (frame.error) {
        alertError(frame.error.message || T.internal_error);
      }
      break;
    default:
      break;
  }
}

const seen = new Set();          // event seqs already listed
let catchUpUntil = 0;           // events up to this seq (after a reconnect) are ones we missed
let missedCount = 0;

let snapshots = 0;              // how many times the server sent a snapshot (connects)

function onSnapshot(frame) {
  snapshots += 1;
  const first = !wasConnected;
  wasConnected = true;
  live = true;
  setConnection("connected");
  if (!first) {
    const base = syncBase !== null ? syncBase : lastSeq;
    if (base < frame.seq) {
      // Back after a drop: the snapshot has the state; ask for the events we missed so the
      // list shows them (they come back before the sync reply).
      catchUpUntil = frame.seq;
      missedCount = 0;
      send({ v: 1, type: "sync", id: newId("sync"), since: base });
    } else {
      announce(fmt(T.reconnected, { n: 0 }));
    }
  }
  syncBase = null;
  if (frame.seq > lastSeq) lastSeq = frame.seq;
  refresh();
}

function onSynced(frame) {
  const n = frame.ok && frame.result ? frame.result.events : missedCount;
  announce(fmt(T.reconnected, { n: missedCount || n }));
  missedCount = 0;
  refresh();
}

function onEvent(frame) {
  if (seen.has(frame.seq)) return;
  seen.add(frame.seq);
  const missed = frame.seq <= catchUpUntil;
  if (missed) missedCount += 1;
  addToLog(frame, missed);
  if (frame.seq > lastSeq) lastSeq = frame.seq;
  if (!missed) announceEvent(frame);
  refresh();
}

// A progress frame sums up what is not sent event by event (ballots, connections): apply the
// vote counts here instead of re-reading the state, so a vote with many voters does not make
// every page fetch once per ballot; a change of connections re-reads the roll call.
function onProgress(frame) {
  if (frame.seq > lastSeq) lastSeq = frame.seq;
  const d = frame.data || {};
  const v = state.panel && state.panel.vote;
  let counted = false;
  for (const count of d.votes || []) {
    if (v && v.vote_id === count.vote_id && typeof count.cast === "number") {
      v.cast = Math.max(v.cast, count.cast);
      counted = true;
    }
  }
  if (counted) keepFocus(renderVoting);
  if (d.presence) refresh();
}

// --- state refresh -------------------------------------------------------------------------

let refreshing = false;
let refreshAgain = false;
let refreshTimer = null;

function refresh() {
  clearTimeout(refreshTimer);
  // A little jitter spreads the re-reads of many pages after the same event.
  refreshTimer = setTimeout(doRefresh, 120 + Math.random() * (isPublic ? 600 : 180));
}

async function doRefresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const response = await fetch(config.state_url, { credentials: "same-origin", cache: "no-store",
      headers: { Accept: "application/json" } });
    if (response.ok) {
      const fresh = await response.json();
      if ((fresh.seq || 0) >= (state.seq || 0)) {
        state = fresh;
        render();
      }
      if ((fresh.seq || 0) < lastSeq) refreshAgain = true;
    }
  } catch (err) {
    // Offline: the socket's banner says so; the next event or reconnect refreshes again.
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; refresh(); }
  }
}

// --- announcements and the event list --------------------------------------------------------

function itemTitle(itemId) {
  const item = (state.agenda || []).find((i) => i.item_id === itemId);
  return item ? `${item.position}. ${item.title}` : "";
}

function eventText(frame) {
  const d = frame.data || {};
  const texts = T.event || {};
  const template = texts[frame.event];
  const values = {
    name: d.name || (d.user && d.user.name) || (d.speaker && d.speaker.name) || "",
    title: d.title || itemTitle(d.item_id),
    paragraph: d.paragraph,
    type: frame.event,
  };
  return template ? fmt(template, values) : fmt(texts.other, values);
}

function addToLog(frame, missed) {
  const log = $("log");
  if (!log) return;
  const time = frame.at ? new Date(frame.at) : null;
  const when = time ? time.toLocaleTimeString(document.documentElement.lang || "sv",
    { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
  if (frame.event === "redacted") return;  // the public's placeholder: nothing to tell
  const entry = h("li", { class: missed ? "missed" : null, "data-seq": frame.seq, "data-event": frame.event },
    when ? h("time", { datetime: frame.at }, when) : null, when ? " " : null, eventText(frame),
    missed ? h("span", { class: "visually-hidden" }, ` ${T.missed}`) : null);
  const later = [...log.children].find((li) => Number(li.dataset.seq) > frame.seq);
  log.insertBefore(entry, later || null);
  while (log.children.length > 200) log.firstElementChild.remove();
  log.scrollTop = log.scrollHeight;
}

function announceEvent(frame) {
  const d = frame.data || {};
  const me = state.me;
  switch (frame.event) {
    case "vote.opened":
      announce(fmt(T.vote_opened, { q: voteQuestion(d) }));
      break;
    case "vote.closed":
      announce(T.vote_closed);
      break;
    case "item.activated":
      announce(fmt(T.item_activated, { t: d.title || itemTitle(d.item_id) }));
      break;
    case "speaker.floor_given":
      if (me && d.user_id === me.user_id) announce(T.your_turn);
      break;
    case "meeting.paused":
      announce(T.paused);
      break;
    case "meeting.adjourned":
      announce(T.adjourned);
      break;
    case "decision.recorded":
      announce(fmt(T.decision, { p: d.paragraph, t: d.text || "" }));
      break;
    default:
      break;
  }
}

// --- drawing -------------------------------------------------------------------------------

function proposalLabel(p) {
  if (!p) return "";
  const kind = (T.kinds && T.kinds[p.kind]) || p.kind;
  return `${fmt(T.proposal, { n: p.number })} (${kind})`;
}

function voteQuestion(v) {
  if (!v) return "";
  if (v.main_proposal && v.counter_proposal) {
    return fmt(T.question_against, { a: v.main_proposal.number, b: v.counter_proposal.number });
  }
  if (v.main_proposal) return fmt(T.question_single, { a: v.main_proposal.number });
  return "";
}

function activeItem() {
  return (state.agenda || []).find((i) => i.item_id === state.active_item_id) || null;
}

// Re-drawing replaces elements: put the focus back on the new element with the same data-key
// (a button) or id (e.g. the "ballot registered" confirmation), so a count moving on screen
// never throws a keyboard or screen-reader user out of their place.
function keepFocus(drawing) {
  const focused = document.activeElement;
  const key = focused && focused.dataset ? focused.dataset.key : null;
  const id = focused && focused !== document.body ? focused.id : null;
  drawing();
  if ((key || id) && document.activeElement !== focused) {
    const again = key ? document.querySelector(`[data-key="${CSS.escape(key)}"]`)
      : document.getElementById(id);
    if (again) again.focus();
  }
}

function render() {
  keepFocus(() => {
    renderStatus();
    renderAgenda();
    renderItem();
    renderProposals();
    renderSpeakers();
    renderVoting();
    followVote();
    renderDecisions();
    renderProportional();
    if (config.page === "room") renderMe();
    if (config.page === "console") renderConsole();
    if (config.page === "console") renderCockpit();
    if (config.page === "bigscreen") renderBigScreen();
  });
}

function renderStatus() {
  const m = state.meeting || {};
  let text = T[m.status] || m.status;
  if (m.paused) text = T.paused;
  fill("meeting-status", text);
  show("paused-banner", !!m.paused);
  const q = state.quorum;
  if (q) {
    fill("quorum", h("span", { class: q.reached ? "ok" : "bad" },
      fmt(q.reached ? T.quorum_ok : T.quorum_no, { p: q.serving_present, r: q.required })));
  }
}

// Why no item may be taken up now (the server refuses the same: agenda_not_approved), or null.
function activateBlocker() {
  const m = state.meeting || {};
  if (m.status === "planned") return T.why_activate_planned;
  if (m.status !== "open") return T[m.status] || m.status;
  if (!m.agenda_approved) return T.why_activate_agenda;
  if (m.paused) return T.paused;
  return null;
}

// "Dnr SBN 2026/131 · Föredragande: Lena Berg · 2 handlingar" for an agenda item (or null).
function caseLine(item, cls) {
  const parts = [];
  if (item.case_number) parts.push(`${T.dnr} ${item.case_number}`);
  if (item.presenter) parts.push(`${T.presenter}: ${item.presenter}`);
  const docs = (state.documents || {})[String(item.item_id)] || [];
  if (!parts.length && !docs.length) return null;
  const kids = [parts.join(" · ")];
  if (docs.length) {
    if (parts.length) kids.push(" · ");
    kids.push(h("a", { href: `#docs-${item.item_id}` }, fmt(T.documents_n, { n: docs.length })));
  }
  return h("span", { class: cls }, ...kids);
}

function renderAgenda() {
  const blocker = config.page === "console" ? activateBlocker() : null;
  if (blocker) fill("agenda-why", blocker);
  else fill("agenda-why");
  fill("agenda", (state.agenda || []).map((item) => {
    const active = item.item_id === state.active_item_id;
    const kids = [h("span", {}, item.title),
      " ", h("span", { class: "state" }, `(${(T.state && T.state[item.state]) || item.state}${item.paragraph ? `, § ${item.paragraph}` : ""})`)];
    if (config.page === "room" && (item.case_number || item.presenter)) {
      // The room lists each item's Dnr and föredragande (web/room_state.py).
      const facts = [];
      if (item.case_number) facts.push(`${T.case_number} ${item.case_number}`);
      if (item.presenter) facts.push(`${T.presenter}: ${item.presenter}`);
      kids.push(h("span", { class: "item-facts muted" }, facts.join(" · ")));
    }
    if (config.page === "console") kids.push(caseLine(item, "case-keys small"));
    if (config.page === "console" && state.me && state.me.may_control) {
      if (item.state === "pending") {
        const why = activateBlocker();
        kids.push(" ", h("button", { type: "button", "data-key": `activate-${item.item_id}`,
          disabled: why ? "" : null, "aria-describedby": why ? "agenda-why" : null,
          onclick: () => command("item.activate", { item_id: item.item_id }) },
          T.activate, h("span", { class: "visually-hidden" }, `: ${item.title}`)));
      } else if (item.state === "active") {
        const decided = ((state.panel && state.panel.decisions) || [])
          .some((d) => d.item_id === item.item_id);
        if (decided) {
          kids.push(" ", h("button", { type: "button", "data-key": `close-${item.item_id}`,
            onclick: () => command("item.close", { item_id: item.item_id }) },
            T.close, h("span", { class: "visually-hidden" }, `: ${item.title}`)));
        } else {
          // No decision recorded: closing needs the explicit choice and a reason (minutes).
          const why = h("input", { type: "text", id: `close-reason-${item.item_id}`,
            maxlength: "500", "aria-label": T.close_reason, placeholder: T.close_reason });
          kids.push(" ", why, " ", h("button", { type: "button",
            "data-key": `close-${item.item_id}`,
            onclick: () => command("item.close", { item_id: item.item_id,
              without_decision: true, reason: why.value.trim() }) },
            T.close_without_decision, h("span", { class: "visually-hidden" }, `: ${item.title}`)));
        }
      }
    }
    const docs = (state.documents || {})[String(item.item_id)] || [];
    if (docs.length) {
      kids.push(h("ul", { class: "documents", id: `docs-${item.item_id}` }, docs.map((d) =>
        h("li", {}, h("a", { href: d.url, target: "_blank", rel: "noopener" }, d.title)))));
    }
    return h("li", { "aria-current": active ? "true" : null, "data-item": item.item_id }, ...kids);
  }));
}

function renderItem() {
  const javItem = $("jav-item");
  if (javItem) {
    const current = javItem.value;
    const choices = (state.agenda || []).filter((i) => i.state !== "closed");
    javItem.replaceChildren(...choices.map((i) => h("option", { value: i.item_id,
      selected: String(i.item_id) === current || (!current && i.item_id === state.active_item_id) },
      `${i.position}. ${i.title}`)));
  }
  const item = activeItem();
  if (!item) {
    fill("item", h("p", { class: "muted" }, T.no_active_item));
    return;
  }
  fill("item",
    h("h3", {}, `${item.position}. ${item.title}`),
    config.page === "console" && caseLine(item, null) ? h("p", { class: "case-keys" }, caseLine(item, null)) : null,
    item.description ? h("p", {}, item.description) : null,
    item.prepared_proposal ? h("p", {}, h("strong", {}, `${T.kinds.prepared}: `), item.prepared_proposal) : null,
  );
}

function renderProposals() {
  const proposals = state.proposals || [];
  const me = state.me;
  fill("proposals", proposals.map((p) => h("li", { "data-proposal": p.proposal_id, value: p.number },
    h("strong", {}, proposalLabel(p)), ": ", p.text,
    p.author ? h("span", { class: "muted" }, ` – ${p.author.name}`) : null,
    me && ((p.author && p.author.user_id === me.user_id) || (config.page === "console" && me.may_control)) && p.kind !== "prepared"
      ? [" ", h("button", { type: "button", "data-key": `withdraw-p-${p.proposal_id}`,
        onclick: () => command("proposal.withdraw", { proposal_id: p.proposal_id }) },
        T.withdraw, h("span", { class: "visually-hidden" }, `: ${proposalLabel(p)}`))] : null)));
  // Nothing to put or vote on without proposals (an election has candidates instead).
  const kind = $("decide-kind");
  const election = kind && (kind.value === "election" || kind.value === "proportional");
  for (const key of ["acclamation", "bifall", "avslag", "kontra"]) enable(key, proposals.length > 0);
  enable("vote-open", proposals.length > 0 || election);
  for (const id of ["decide-main", "decide-counter", "decision-proposal"]) {
    const select = $(id);
    if (!select) continue;
    const current = select.value;
    const options = proposals.map((p) => h("option", { value: p.proposal_id,
      selected: String(p.proposal_id) === current }, proposalLabel(p)));
    if (id === "decide-counter") options.unshift(h("option", { value: "" }, T.none));
    select.replaceChildren(...options);
    if (id === "decide-counter" && !current && proposals.length > 1) select.value = String(proposals[1].proposal_id);
  }
}

function renderSpeakers() {
  const s = state.speakers;
  const me = state.me;
  if (s) setTimeout(renderFloorClock, 0);
  if (!s) {
    fill("speakers", h("p", { class: "muted" }, T.no_active_item));
  } else {
    fill("speakers",
      h("p", {}, fmt(T.has_floor, { n: s.current ? s.current.name : T.nobody }),
        config.page === "console" && s.current && s.current.started_at
          ? [" ", h("span", { class: "clock", "data-since": s.current.started_at, title: T.elapsed.replace("%(t)s", "").trim() })]
          : null,
        countdown(s.current),
        // Talartid: the presiding person (or the secretary) gives the speaker a minute more.
        config.page === "console" && s.current && s.current.limit_seconds
          ? [" ", h("button", { type: "button", "data-key": "time-add",
            onclick: () => command("speaker.time_add", { seconds: 60 }) },
            T.add_time, h("span", { class: "visually-hidden" }, `: ${s.current.name}`))]
          : null),
      s.queue && s.queue.length
        ? h("ol", {}, s.queue.map((r) => h("li", { "data-user": r.user_id },
          r.name, r.kind === "reply" ? ` (${T.reply})` : "",
          config.page === "console" && me && me.may_control
            ? [" ", h("button", { type: "button", "data-key": `floor-${r.request_id}`,
              onclick: () => command("speaker.give_floor", { user_id: r.user_id }) },
              T.give_floor, h("span", { class: "visually-hidden" }, `: ${r.name}`))] : null)))
        : h("p", { class: "muted" }, T.none));
  }
  if (config.page === "room") renderMyPlace(s, me);
  if (config.page === "room") {
    const mine = me && me.speaker_request;
    const waiting = mine && mine.state === "waiting";
    for (const id of ["btn-speak", "btn-reply"]) { const b = $(id); if (b) b.disabled = !s || !!mine; }
    const un = $("btn-unspeak");
    if (un) un.disabled = !waiting;
    const done = $("btn-speak-done");
    if (done) done.hidden = !(mine && mine.state === "speaking");
  }
}

// --- the room's vote panel: first on the screen while something is to be decided -------------

const inFlight = new Set();        // vote ids whose ballot is on its way (buttons disabled)
const myBallots = new Map();       // vote id -> {choice, receipt}: what this page cast
const castAttempts = new Set();    // vote ids this page has sent a ballot for
let followedVote = null;           // the vote (or acclamation) the page last brought into view

function ballotChoiceText(choice) {
  if (Array.isArray(choice)) return choice.length ? choice.join(", ") : T.blank_ballot;
  return choice === "ja" ? T.yes : choice === "nej" ? T.no : choice === "avstar" ? T.abstain : "";
}

function ballotConfirmation(v) {
  const mine = myBallots.get(v.vote_id) || {};
  const choice = mine.choice !== undefined ? mine.choice : v.me && v.me.choice;
  let text = T.ballot_registered;
  if (v.kind === "open" && choice) text = fmt(T.you_voted, { c: ballotChoiceText(choice) });
  else if (v.kind !== "open") text = T.secret_counted;
  return h("p", { class: "ok confirmation", id: "ballot-registered", tabindex: "-1" }, `${text} ✓`);
}

// When a vote or an acclamation opens, the room shows it first and moves the focus to it, so a
// member on a phone never scrolls to vote; once, per vote, not on every re-draw.
function followVote() {
  const panel = $("vote-panel");
  if (!panel || config.page !== "room") return;
  const p = state.panel || {};
  const v = p.vote;
  const acc = p.acclamation && p.acclamation.state === "put" ? p.acclamation : null;
  panel.hidden = !v && !acc;
  const waiting = v && v.state === "open" && v.me && v.me.eligible && !v.me.voted;
  const key = waiting ? `vote-${v.vote_id}` : acc ? `acc-${acc.proposal && acc.proposal.proposal_id}` : null;
  if (!key || key === followedVote) return;
  followedVote = key;
  panel.scrollIntoView({ block: "start" });
  const heading = $("vote-h");
  if (heading) heading.focus({ preventScroll: true });
}

function renderMyPlace(s, me) {
  const mine = me && me.speaker_request;
  let text = "";
  if (mine && mine.state === "speaking") text = T.you_have_floor;
  else if (mine && s && s.queue) {
    const place = s.queue.findIndex((r) => r.request_id === mine.request_id || r.user_id === me.user_id);
    if (place >= 0) text = fmt(mine.kind === "reply" ? T.your_place_reply : T.your_place, { n: place + 1 });
  }
  fill("my-place", text);
}

function receiptFor(voteId) {
  try { return sessionStorage.getItem(`klubba-receipt-${voteId}`); } catch (err) { return null; }
}

function renderVoting() {
  const voting = state.panel || {};
  const acc = voting.acclamation;
  if (acc && acc.state === "put") {
    const question = fmt(T.acclamation_q, { p: proposalLabel(acc.proposal) });
    const parts = [h("p", { class: "question" }, question)];
    const requested = state.voting && state.voting.acclamation && state.voting.acclamation.vote_requested;
    if (requested) parts.push(h("p", { class: "bad" }, T.event["vote.requested"]));
    if (config.page === "room") {
      parts.push(h("button", { type: "button", "data-key": "vote-request",
        onclick: () => command("vote.request", { item_id: state.active_item_id }) },
        T.request_vote));
    }
    fill("acclamation", parts);
  } else {
    fill("acclamation");
  }
  const v = voting.vote;
  if (!v) {
    fill("vote", h("p", { class: "muted" }, T.none));
    return;
  }
  const title = v.kind === "open" ? T.open_vote : v.kind === "proportional" ? T.proportional : T.secret;
  const parts = [h("h3", {}, `${title} ${v.number}`),
    h("p", { class: "question" }, voteQuestion(v)),
    v.main_proposal ? h("p", {}, h("strong", {}, `${T.yes}: `), `${proposalLabel(v.main_proposal)} – ${v.main_proposal.text}`) : null,
    v.counter_proposal ? h("p", {}, h("strong", {}, `${T.no}: `), `${proposalLabel(v.counter_proposal)} – ${v.counter_proposal.text}`) : null,
    h("p", { class: "count", "data-cast": v.cast, "data-eligible": v.eligible_count },
      fmt(T.n_of_m, { n: v.cast, m: v.eligible_count }))];
  if (v.kind === "election") {
    parts[0] = h("h3", {}, `${T.election} ${v.number}`);
    parts.push(h("ul", {}, (v.candidates || []).map((name) => h("li", {}, name))));
  }
  if (config.page === "room" && v.me && (v.me.voted || myBallots.has(v.vote_id))) {
    parts.push(ballotConfirmation(v));
  } else if (v.state === "open" && config.page === "room" && v.me && v.me.eligible) {
    const busy = inFlight.has(v.vote_id);
    if (v.kind === "proportional") {
      // The list ballot is its own form (#proportional, templates/meetings/_proportional.html).
    } else if (v.kind === "election") {
      // The panel is redrawn on every count change (others voting): keep this member's ticks.
      const ticked = new Set([...document.querySelectorAll("#election-form input:checked")]
        .map((i) => i.value));
      parts.push(h("form", { id: "election-form", "aria-busy": busy ? "true" : null },
        h("fieldset", {}, h("legend", {}, fmt(T.choose_up_to, { n: v.posts || 1 })),
          (v.candidates || []).map((name, i) => h("label", { class: "choice", for: `cand-${i}` },
            h("input", { type: "checkbox", id: `cand-${i}`, value: name, disabled: busy,
              checked: ticked.has(name) }), " ", name))),
        h("button", { type: "submit", class: "primary", "data-key": "cast-election", disabled: busy },
          T.cast_election)));
    } else {
      parts.push(h("div", { class: "vote-buttons", role: "group", "aria-label": voteQuestion(v),
        "aria-busy": busy ? "true" : null },
      [["ja", T.yes], ["nej", T.no], ["avstar", T.abstain]].map(([choice, label]) =>
        h("button", { type: "button", class: "primary", "data-choice": choice, "data-key": `vote-${choice}`,
          disabled: busy, onclick: (event) => castBallot(v, choice, event.currentTarget) }, label))));
    }
  }
  const receipt = receiptFor(v.vote_id);
  if (receipt) parts.push(h("p", { class: "receipt-line" }, fmt(T.receipt, { c: "" }), h("span", { class: "receipt" }, receipt)));
  if (v.state === "closed" && v.result && v.kind === "election") {
    const r = v.result;
    parts.push(h("ul", { class: "result" }, (r.votes || []).map((row) => h("li", {}, `${row.candidate}: ${row.votes}`))));
    parts.push(h("p", {}, fmt(T.elected, { names: (r.elected || []).join(", ") })));
  } else if (v.state === "closed" && v.result && v.kind !== "proportional") {
    const r = v.result;
    parts.push(h("p", { class: "result", "data-outcome": r.outcome },
      fmt(T.result, { ja: r.ja, nej: r.nej, avstar: r.avstar }), " ",
      (T.outcome && T.outcome[r.outcome]) || ""));
    if (r.ballots && r.ballots.length) {
      parts.push(h("ul", { class: "ballots" }, r.ballots.map((b) =>
        h("li", {}, `${b.name}: ${b.choice === "ja" ? T.yes : b.choice === "nej" ? T.no : T.abstain}`))));
    }
  }
  fill("vote", parts);
  const registered = $("ballot-registered");
  if (focusAfterVote && registered) {
    // The buttons are gone: keep keyboard users where they were, on the confirmation.
    focusAfterVote = false;
    registered.focus();
  }
  const election = $("election-form");
  if (election) {
    election.addEventListener("submit", (event) => {
      event.preventDefault();
      const names = [...election.querySelectorAll("input:checked")].map((i) => i.value);
      castBallot(v, names, election);
    });
  }
}

let focusAfterVote = false;

// One ballot per vote from this page: the buttons are disabled while it is on its way, and an
// "already voted" after this page's own successful cast (a double tap) is no error.
async function castBallot(v, choice, origin) {
  if (inFlight.has(v.vote_id) || myBallots.has(v.vote_id)) return;
  const again = castAttempts.has(v.vote_id);  // an earlier cast whose reply was lost
  castAttempts.add(v.vote_id);
  inFlight.add(v.vote_id);
  keepFocus(renderVoting);
  const reply = await command("ballot.cast", { vote_id: v.vote_id, choice },
    { origin: $("vote-panel") || origin, okCodes: again ? ["already_voted"] : [] });
  inFlight.delete(v.vote_id);
  const counted = reply.ok || (again && reply.error && reply.error.code === "already_voted");
  if (counted) {
    focusAfterVote = true;
    const receipt = reply.result && reply.result.receipt;
    myBallots.set(v.vote_id, { choice: reply.ok ? choice : undefined, receipt });
    if (receipt) {
      try { sessionStorage.setItem(`klubba-receipt-${v.vote_id}`, receipt); } catch (err) { /* private mode */ }
    }
    renderVoting();
    const confirmation = $("ballot-registered");
    announce(confirmation ? confirmation.textContent : T.ballot_registered);
    refresh();
  } else {
    keepFocus(renderVoting);
  }
}

function renderDecisions() {
  const decisions = (state.panel && state.panel.decisions) || [];
  const list = $("decisions");
  // A half-written reason must survive the re-draws that events cause.
  const open = list ? [...list.querySelectorAll("details[open]")].map((d) => d.dataset.item) : [];
  const drafts = new Map(list ? [...list.querySelectorAll("textarea")].map((t) => [t.dataset.item, t.value]) : []);
  fill("decisions", decisions.length
    ? decisions.map((d) => h("li", { "data-paragraph": d.paragraph },
      h("strong", {}, `§ ${d.paragraph}`), ` ${itemTitle(d.item_id)}: ${d.text}`,
      config.page === "room" ? reservationPart(d, open, drafts) : null))
    : [h("li", { class: "muted" }, T.none)]);
}

// A member may reserve against a decision until the meeting ends, with written reasons (now or
// later, until the minutes are locked); the room says at once that it is registered.
function reservationPart(d, open, drafts) {
  const me = state.me;
  if (!me) return null;
  const reserved = (me.reservations || {})[String(d.item_id)];
  const meetingOpen = state.meeting && state.meeting.status === "open";
  if (reserved === undefined && !meetingOpen) return null;
  const key = String(d.item_id);
  const textId = `reserve-text-${d.item_id}`;
  const done = reserved !== undefined;
  return h("details", { class: "reserve", "data-item": key, open: open.includes(key) ? true : null },
    h("summary", { "data-key": `reserve-${d.item_id}` }, done
      ? fmt(T.reserved, { p: d.paragraph }) : T.reserve),
    h("form", { "data-item": key, onsubmit: (event) => reserve(event, d, done) },
      done && reserved ? h("p", {}, h("strong", {}, `${T.your_reasons}: `), reserved) : null,
      h("label", { for: textId }, done ? T.reasons_later : T.reasons_optional),
      h("textarea", { id: textId, name: "reason_text", maxlength: "4000", "data-item": key },
        drafts.get(key) || ""),
      h("button", { type: "submit", class: done ? null : "primary", "data-key": `reserve-send-${d.item_id}` },
        done ? T.send_reasons : T.reserve_now)));
}

async function reserve(event, d, done) {
  event.preventDefault();
  const form = event.currentTarget;
  const text = form.reason_text.value.trim();
  const args = { item_id: d.item_id };
  if (text) args.reason_text = text;
  const button = form.querySelector("button");
  button.disabled = true;
  const reply = await command(done ? "reservation.reasons_submit" : "reservation.register", args,
    { origin: form });
  button.disabled = false;
  if (reply.ok) {
    form.reason_text.value = "";
    const note = fmt(done ? T.reasons_sent : T.reserved, { p: d.paragraph });
    announce(note);
    refresh();
  }
}

function renderMe() {
  const me = state.me;
  if (!me) return;
  const p = me.participant;
  const lines = [];
  const seat = (state.seats || []).find((s) => s.user_id === me.user_id);
  const planned = state.meeting && state.meeting.status === "planned";
  const withdraw = document.querySelector("[data-key=withdraw-absence]");
  if (withdraw) withdraw.hidden = !(planned && me.before && me.before.kind === "absence");
  if (planned && me.before) {
    // Before the meeting opens: my förhinder and who serves instead, or that I am called to
    // serve (web/before_meeting.py); a member with förhinder has nothing to check in to.
    fill("my-status", me.before.text);
    const away = me.before.kind === "absence";
    for (const id of ["btn-checkin", "btn-checkin-remote", "btn-checkout"]) {
      const b = $(id); if (b) { b.disabled = true; if (away) b.hidden = true; }
    }
    return;
  }
  const item = activeItem();
  const recused = item && me.recused_item_ids.includes(item.item_id);
  if (recused) lines.push(T.recused);
  else if (seat) lines.push(fmt(T.serving_seat, { n: seat.seat_number }));
  else if (me.substitute_order) lines.push(T.substitute);
  if (p && !p.present && p.link_lost) lines.push(T.my_link_lost);
  else if (!p || !p.present) lines.push(T.not_checked_in);
  else if (!p.confirmed) lines.push(T.checked_in_unconfirmed);
  else lines.push(`${T.checked_in} (${p.remote ? T.remote : T.in_room})`);
  fill("my-status", lines.join(" "));
  const open = state.meeting && state.meeting.status === "open";
  const present = p && p.present;
  const b1 = $("btn-checkin"); if (b1) { b1.disabled = !open || !!present; b1.hidden = false; }
  const b2 = $("btn-checkin-remote"); if (b2) { b2.disabled = !open || !!present; b2.hidden = !me.remote_allowed; }
  const b3 = $("btn-checkout"); if (b3) { b3.disabled = !open || !present; b3.hidden = false; }
}

function enable(key, on) {
  const el = document.querySelector(`[data-key="${key}"]`);
  if (el) el.disabled = !on;
}

function renderConsole() {
  const me = state.me || {};
  if (!me.may_control) return;
  const m = state.meeting || {};
  const open = m.status === "open";
  enable("open", m.status === "planned");
  enable("rollcall", open);
  enable("agenda", open && !m.agenda_approved);
  enable("resume", open && m.paused);
  enable("adjourn", open && !state.active_item_id);
  const pause = $("pause-form");
  if (pause) pause.querySelector("button").disabled = !open || m.paused;
  const participants = state.participants || [];
  fill("rollcall", participants.map((p) => h("tr", { "data-user": p.user_id },
    h("th", { scope: "row" }, p.name, h("br"), h("span", { class: "muted small" }, (T.roles && T.roles[p.role]) || p.role)),
    h("td", {}, h("span", { class: p.present ? "ok" : "bad" }, p.present ? T.present : T.absent),
      p.present ? ` · ${p.remote ? T.remote : T.in_room}` : "",
      p.back_after_link_lost ? h("span", { class: "bad" }, ` · ${T.back_after_link_lost}`) : "",
      h("br"), h("span", { class: p.connected ? "ok" : (p.present && p.remote ? "bad" : "muted") },
        p.connected ? T.connection_up : T.connection_down),
      ` · ${p.confirmed ? T.confirmed : T.unconfirmed}`),
    h("td", {}, h("div", { class: "row" },
      p.back_after_link_lost ? h("button", { type: "button", class: "primary", "data-key": `restore-${p.user_id}`,
        onclick: () => command("attendance.check_in", { user_id: p.user_id, remote: true }) },
        T.restore, h("span", { class: "visually-hidden" }, `: ${p.name}`)) : null,
      !p.present && !p.back_after_link_lost ? h("button", { type: "button", "data-key": `in-${p.user_id}`,
        onclick: () => command("attendance.check_in", { user_id: p.user_id, remote: false }) },
        T.check_in, h("span", { class: "visually-hidden" }, `: ${p.name}`)) : null,
      !p.present && me.remote_allowed ? h("button", { type: "button", "data-key": `in-remote-${p.user_id}`,
        onclick: () => command("attendance.check_in", { user_id: p.user_id, remote: true }) },
        T.remote, h("span", { class: "visually-hidden" }, `: ${p.name}`)) : null,
      p.present && !p.confirmed ? h("button", { type: "button", class: "primary", "data-key": `confirm-${p.user_id}`,
        onclick: () => command("attendance.confirm", { user_ids: [p.user_id] }) },
        T.confirm, h("span", { class: "visually-hidden" }, `: ${p.name}`)) : null,
      p.present ? h("button", { type: "button", "data-key": `out-${p.user_id}`,
        onclick: () => command("attendance.check_out", { user_id: p.user_id }) },
        T.check_out, h("span", { class: "visually-hidden" }, `: ${p.name}`)) : null)))));
  fill("seats", (state.seats || []).map((s) => h("tr", { "data-seat": s.seat_number },
    h("th", { scope: "row" }, `${s.seat_number}${s.party ? ` (${s.party})` : ""}`),
    h("td", {}, s.name || T.nobody, s.is_substitute ? ` (${T.substitute_short})` : "", " · ",
      h("span", { class: s.present ? "ok" : "bad" }, s.present ? T.present : T.absent),
      s.recused ? h("strong", { class: "bad" }, ` · ${T.roster_reason.recused}`) : ""),
    h("td", {}, s.is_substitute ? h("button", { type: "button", "data-key": `release-${s.seat_number}`,
      onclick: () => command("substitute.release", { seat_number: s.seat_number }) },
      T.release, h("span", { class: "visually-hidden" }, `: ${s.seat_number}`)) : null))));
  // Only the seats where there is something to do (a substitute to call in, a recusal).
  const proposals = (state.roster_proposals || []).filter((r) => r.substitute_user_id || r.reason === "recused");
  fill("roster-proposals", proposals.length ? proposals.map((r) => h("li", {},
    `${r.seat_number} (${r.party}): ${r.current_name || T.nobody} – ${(T.roster_reason && T.roster_reason[r.reason]) || r.reason}. `,
    r.substitute_user_id ? [`→ ${r.substitute_name} `, h("button", { type: "button",
      "data-key": `callin-${r.seat_number}`, disabled: r.change_allowed_now ? null : true,
      onclick: () => command("substitute.call_in", { seat_number: r.seat_number, user_id: r.substitute_user_id }) },
      T.call_in, h("span", { class: "visually-hidden" }, `: ${r.substitute_name}`))] : null))
    : []);
  fill("adjusters", (state.adjusters || []).map((a) => a.name).join(", ") || T.none);
  const choices = $("adjuster-choices");
  if (choices && !choices.querySelector("input:checked")) {
    const chosen = new Set((state.adjusters || []).map((a) => a.user_id));
    choices.replaceChildren(...participants.filter((p) => p.role === "member" || p.role === "substitute").map((p) =>
      h("div", {}, h("input", { type: "checkbox", id: `adj-${p.user_id}`, value: p.user_id, checked: chosen.has(p.user_id) }),
        " ", h("label", { class: "inline", for: `adj-${p.user_id}` }, p.name))));
  }
  const person = $("jav-person");
  if (person) {
    const current = person.value;
    person.replaceChildren(...participants.filter((p) => p.role === "member" || p.role === "substitute").map((p) =>
      h("option", { value: p.user_id, selected: String(p.user_id) === current }, p.name)));
  }
  const recused = (state.seats || []).filter((s) => s.recused);
  fill("recusals", recused.map((s) => h("li", {}, `${s.name}: ${T.roster_reason.recused} `,
    h("button", { type: "button", "data-key": `unjav-${s.user_id}`,
      onclick: () => command("recusal.withdraw", { item_id: state.active_item_id, user_id: s.user_id }) },
      T.withdraw_jav, h("span", { class: "visually-hidden" }, `: ${s.name}`)))));
  const order = state.panel && state.panel.order;
  const byId = new Map((state.proposals || []).map((p) => [p.proposal_id, p]));
  const kontra = state.voting && state.voting.kontra;
  const step = kontra && kontra.next_step;
  const byNumber = (id) => (byId.get(id) ? byId.get(id).number : "?");
  fill("kontra", step ? fmt(T.kontra_step, { n: step.number, a: byNumber(step.first_proposal_id),
    b: byNumber(step.second_proposal_id) }) : "");
  fill("order", order ? `${order.proposal_ids.map((id) => (byId.get(id) ? byId.get(id).number : "?")).join(", ")}${order.approved ? " ✓" : ""}` : "");
}

// --- the cockpit: presence at a glance, the guided decision path, shortcuts -------------------

const opened = new Map();  // tool id -> whether the path wanted it open last time

// Open a folded tool when the path comes to need it (once per time it becomes needed), so
// the person can fold it again; never close it under their hands.
function autoOpen(id, needed, { fold = true } = {}) {
  const el = $(id);
  if (!el) return;
  if (needed && !opened.get(id)) el.open = true;
  else if (!needed && opened.get(id) && fold) el.open = false;  // its step is over
  opened.set(id, !!needed);
}

function renderPresence() {
  const participants = state.participants || [];
  const seats = state.seats || [];
  const present = participants.filter((p) => p.present);
  const remote = present.filter((p) => p.remote).length;
  const dropped = present.filter((p) => p.remote && !p.connected).length;
  const served = seats.filter((s) => s.present && !s.recused).length;
  // Before the meeting opens no seat is served yet, but the body has its seats.
  const total = (state.quorum && state.quorum.seats) || seats.length;
  const parts = [fmt(T.seats_served, { n: served, m: total }),
    fmt(T.in_room_n, { n: present.length - remote }), fmt(T.remote_n, { n: remote })];
  fill("presence-summary", h("span", {}, parts.join(" · ")),
    dropped ? h("span", { class: "bad" }, ` · ${fmt(T.dropped_n, { n: dropped })}`) : null);
}

function activeProposals() {
  return (state.proposals || []).filter((p) => !p.withdrawn);
}

// A path button works by clicking the same control in the folded tools; a refusal belongs next
// to the path button the person pressed, so it stands in as the origin (see lastControl).
let viaPath = null;
function pathButton(label, key, action, primary) {
  return h("button", { type: "button", class: primary ? "primary big" : "big", "data-key": key,
    "aria-keyshortcuts": primary ? "s" : null, onclick: (event) => {
      viaPath = event.currentTarget;
      try { action(); } finally { viaPath = null; }
    } }, label);
}

function clickKey(key) {
  const el = document.querySelector(`[data-key="${key}"]`);
  if (el && !el.disabled) el.click();
  else if (el) showErrorAt(viaPath || el, T.not_now);
}

function decisionFor(itemId) {
  return ((state.panel && state.panel.decisions) || []).find((d) => d.item_id === itemId) || null;
}

// Where the current item stands and the one or two acts that make sense now. Each act is the
// same control as in the folded tools (so the same rules and messages apply).
function nextStep() {
  const m = state.meeting || {};
  const control = !!(state.me && state.me.may_control);
  const panel = state.panel || {};
  const item = activeItem();
  const agenda = state.agenda || [];
  if (m.status === "planned") {
    return { step: -1, text: T.path_open, acts: control ? [[T.open_meeting, "path-open", () => clickKey("open")]] : [] };
  }
  if (m.status !== "open") return { step: -1, text: T[m.status] || m.status, acts: [] };
  if (m.paused) return { step: -1, text: T.paused, acts: control ? [[T.resume, "path-resume", () => clickKey("resume")]] : [] };
  if (!item) {
    if (!m.agenda_approved) {
      return { step: -1, text: T.path_rollcall, acts: control ? [
        [T.confirm_all, "path-confirm-all", () => clickKey("confirm-all")],
        [T.approve_agenda, "path-agenda", () => clickKey("agenda")]] : [] };
    }
    const next = agenda.find((i) => i.state === "pending");
    if (next) {
      return { step: -1, text: fmt(T.path_next_item, { t: `${next.position}. ${next.title}` }),
        acts: control ? [[fmt(T.handle, { t: next.title }), "path-activate", () => clickKey(`activate-${next.item_id}`)]] : [] };
    }
    return { step: 4, text: T.path_all_done, acts: control ? [[T.adjourn, "path-adjourn", () => clickKey("adjourn")]] : [] };
  }
  const v = panel.vote;
  if (v && v.state === "open") {
    return { step: 2, text: fmt(T.path_voting, { n: v.cast, m: v.eligible_count }),
      acts: [[T.close_vote, "path-vote-close", () => clickKey("vote-close")]] };
  }
  if (decisionFor(item.item_id)) {
    return { step: 4, text: fmt(T.path_decided, { p: decisionFor(item.item_id).paragraph }),
      acts: control ? [[T.close_item, "path-close-item", () => clickKey(`close-${item.item_id}`)]] : [] };
  }
  const acc = panel.acclamation;
  const decidedByVote = v && v.state === "closed" && v.result;
  if (decidedByVote || (acc && acc.state !== "put")) {
    return { step: 3, text: T.path_record, tool: "tool-decision",
      acts: control ? [[T.record_decision, "path-decision", () => $("decision-form").requestSubmit()]] : [] };
  }
  if (acc && acc.state === "put") {
    const requested = state.voting && state.voting.acclamation && state.voting.acclamation.vote_requested;
    if (requested) {
      return { step: 2, text: T.path_vote_requested, tool: "tool-decide",
        acts: control ? [[T.open_vote_now, "path-vote-open", () => clickKey("vote-open")]] : [] };
    }
    return { step: 2, text: fmt(T.acclamation_q, { p: proposalLabel(acc.proposal) }), tool: "tool-decide",
      acts: [[T.gavel_bifall, "path-bifall", () => clickKey("bifall")], [T.gavel_avslag, "path-avslag", () => clickKey("avslag")]] };
  }
  const proposals = activeProposals();
  if (!proposals.length) {
    return { step: 0, text: T.path_no_proposals,
      acts: control ? [[T.close_item, "path-close-item", () => clickKey(`close-${item.item_id}`)]] : [] };
  }
  const order = panel.order;
  if (proposals.length > 2 && !(order && order.approved) && control) {
    return { step: 1, text: order ? T.path_order_approve : T.path_order, tool: "tool-order",
      acts: order ? [[T.approve_order, "path-order-approve", () => clickKey("order-approve")]]
        : [[T.set_order, "path-order", () => $("order-input").focus()]] };
  }
  return { step: 2, text: T.path_put, tool: "tool-decide",
    acts: [[T.put, "path-acclamation", () => clickKey("acclamation")],
      ...(control ? [[T.vote_on, "path-vote-open", () => clickKey("vote-open")]] : [])] };
}

function renderPath() {
  const next = nextStep();
  const steps = [T.step_proposals, T.step_order, T.step_decide, T.step_decision, T.step_close];
  fill("path",
    h("h3", { id: "path-h" }, T.next_step),
    h("ol", { class: "steps" }, steps.map((label, i) => h("li", {
      class: i < next.step ? "done" : null, "aria-current": i === next.step ? "step" : null }, label))),
    h("p", { class: "next-text" }, next.text),
    next.acts.length ? h("div", { class: "row" }, next.acts.map(([label, key, action], i) =>
      pathButton(label, key, action, i === 0))) : null);
  autoOpen("tool-decide", next.tool === "tool-decide");
  autoOpen("tool-order", next.tool === "tool-order");
  autoOpen("tool-decision", next.tool === "tool-decision");
  if (next.tool === "tool-decision") preselectDecision();
}

// The decision form starts from what was decided: the vote's winner or the gavel's proposal.
function preselectDecision() {
  const select = $("decision-proposal");
  const panel = state.panel || {};
  if (!select || select.dataset.chosenFor === String(state.active_item_id)) return;
  const v = panel.vote;
  const acc = panel.acclamation;
  let winner = null;
  if (v && v.result) winner = v.result.outcome === "nej" ? v.counter_proposal : v.main_proposal;
  else if (acc && acc.outcome) winner = acc.outcome === "avslag" ? acc.counter_proposal : acc.proposal;
  if (winner) {
    select.value = String(winner.proposal_id);
    select.dataset.chosenFor = String(state.active_item_id);
  }
}

function renderCockpit() {
  renderPresence();
  renderPath();
  const m = state.meeting || {};
  const v = state.panel && state.panel.vote;
  show("vote-close-row", !!(v && v.state === "open"));
  const acc = state.panel && state.panel.acclamation;
  show("vote-panel", !!(v || (acc && acc.state === "put")));
  autoOpen("tool-rollcall", m.status === "open" && !m.agenda_approved);
  autoOpen("tool-adjusters", m.status === "open" && !(state.adjusters || []).length);
  autoOpen("tool-seats", (state.roster_proposals || []).some((r) => r.substitute_user_id || r.reason === "recused"),
    { fold: false });
}

// Shortcuts for the frequent acts; never while typing in a field.
function wireShortcuts() {
  if (config.page !== "console") return;
  const keys = { s: () => { const b = document.querySelector("#path button"); if (b) b.click(); },
    n: () => clickKey("give-floor"), k: () => clickKey("speaker-done"),
    a: () => clickKey("acclamation"), v: () => clickKey("vote-open"),
    "?": () => { const d = $("shortcuts"); if (d) d.open = !d.open; } };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  });
}

// --- the big screen (storbild): the public state in few words and large type --------------

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

// How long the current speaker has had the floor (big screen and cockpit), mm:ss; and, where
// the body has a speaking-time limit, the time left (or over), from the speech's start in the
// log and its limit in the state, so a reload shows the same.
function renderFloorClock() {
  for (const el of document.querySelectorAll(".clock[data-since]")) {
    el.textContent = clock((Date.now() - Date.parse(el.dataset.since)) / 1000);
  }
  for (const el of document.querySelectorAll(".countdown[data-since][data-limit]")) {
    const left = Number(el.dataset.limit) - (Date.now() - Date.parse(el.dataset.since)) / 1000;
    const over = left < 0;
    el.textContent = fmt(over ? T.time_over : T.time_left, { t: clock(over ? Math.ceil(-left) : Math.ceil(left)) });
    el.classList.toggle("over", over);
  }
}

function countdown(current, id) {
  if (!current || !current.started_at || !current.limit_seconds) return null;
  return [" ", h("span", { class: "countdown", id: id || null, "data-since": current.started_at,
    "data-limit": current.limit_seconds })];
}

function renderBigScreen() {
  const item = activeItem();
  const m = state.meeting || {};
  fill("big-item", item ? `${item.paragraph ? `§ ${item.paragraph}  ` : ""}${item.position}. ${item.title}` : m.body || "");
  const s = state.speakers;
  const current = s && s.current;
  fill("big-floor", current ? [h("span", { class: "label" }, `${fmt(T.has_floor, { n: "" }).trim()} `),
    h("strong", {}, current.name),
    current.started_at ? h("span", { id: "big-clock", class: "clock", "data-since": current.started_at,
      "aria-label": T.elapsed.replace("%(t)s", "").trim() }) : null,
    ...(countdown(current, "big-countdown") || [])] : "");
  renderFloorClock();
  const queue = (s && s.queue) || [];
  fill("big-queue", queue.length ? `${T.queue_label}: ${queue.map((r, i) =>
    `${i + 1} ${r.name}${r.kind === "reply" ? ` (${T.reply})` : ""}`).join(" · ")}` : "");
  const v = state.panel && state.panel.vote;
  const acc = state.panel && state.panel.acclamation;
  const parts = [];
  if (v && v.state === "open") {
    parts.push(h("p", { class: "big-count", "data-cast": v.cast }, fmt(T.vote_in_progress, { n: v.cast, m: v.eligible_count })));
    parts.push(h("p", {}, voteQuestion(v)));
  } else if (v && v.state === "closed" && v.result && v.kind !== "election") {
    const r = v.result;
    parts.push(h("p", { class: "big-result", "data-outcome": r.outcome },
      `${T.yes} ${r.ja} · ${T.no} ${r.nej} · ${T.abstain} ${r.avstar}`, " — ", (T.outcome && T.outcome[r.outcome]) || ""));
    if (r.ballots && r.ballots.length) {
      parts.push(h("ul", { class: "big-ballots" }, r.ballots.map((b) =>
        h("li", {}, `${b.name}: ${ballotChoiceText(b.choice)}`))));
    }
  } else if (v && v.state === "closed" && v.result) {
    parts.push(h("p", { class: "big-result" }, fmt(T.elected, { names: (v.result.elected || []).join(", ") })));
  } else if (acc && acc.state === "put") {
    parts.push(h("p", {}, fmt(T.acclamation_q, { p: proposalLabel(acc.proposal) })));
  }
  fill("big-vote", parts);
}

setInterval(renderFloorClock, 1000);

// --- wiring the controls -----------------------------------------------------------------------

function on(id, eventName, handler) {
  const el = $(id);
  if (el) el.addEventListener(eventName, handler);
}

function wire() {
  const from = (event) => ({ origin: event.currentTarget });
  on("btn-checkin", "click", (e) => command("attendance.check_in", { remote: false }, from(e)));
  on("btn-checkin-remote", "click", (e) => command("attendance.check_in", { remote: true }, from(e)));
  on("btn-checkout", "click", (e) => command("attendance.check_out", {}, from(e)));
  on("btn-speak", "click", (e) => command("speaker.request", { kind: "speak" }, from(e)));
  on("btn-reply", "click", (e) => command("speaker.request", { kind: "reply" }, from(e)));
  on("btn-speak-done", "click", (e) => command("speaker.done", {}, from(e)));
  on("btn-kontra", "click", () => command("kontra.start", { item_id: state.active_item_id,
    main_proposal_id: Number($("decide-main").value) }));
  on("btn-unspeak", "click", (e) => {
    const mine = state.me && state.me.speaker_request;
    if (mine) command("speaker.withdraw", { request_id: mine.request_id }, from(e));
  });
  on("proposal-form", "submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const args = { kind: form.kind.value };
    if (form.text.value.trim()) args.text = form.text.value.trim();
    const reply = await command("proposal.make", args, { origin: form });
    if (reply.ok) { form.text.value = ""; announce(T.done); }
  });
  on("note-form", "submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    if (!state.active_item_id) { showErrorAt(form, T.no_active_item); return; }
    if (!form.text.value.trim()) { showErrorAt(form, T.why["protocol_note.add:text"]); return; }
    const reply = await command("protocol_note.add", { item_id: state.active_item_id,
      text: form.text.value.trim() }, { origin: form });
    if (reply.ok) { form.text.value = ""; announce(T.note_added); }
  });
  on("jav-form", "submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const args = { item_id: Number(form.item_id.value) };
    if (form.reason.value.trim()) args.reason = form.reason.value.trim();
    const reply = await command("recusal.declare", args, { origin: form });
    if (reply.ok) { form.reason.value = ""; announce(T.done); }
  });
  for (const button of document.querySelectorAll("button[data-cmd]")) {
    button.addEventListener("click", () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      command(button.dataset.cmd, {});
    });
  }
  on("pause-form", "submit", (event) => {
    event.preventDefault();
    const reason = event.currentTarget.reason.value.trim();
    command("meeting.pause", reason ? { reason } : {});
  });
  on("btn-confirm-all", "click", () => {
    const ids = (state.participants || []).filter((p) => p.present && !p.confirmed).map((p) => p.user_id);
    if (ids.length) command("attendance.confirm", { user_ids: ids });
  });
  on("adjusters-form", "submit", (event) => {
    event.preventDefault();
    const ids = [...event.currentTarget.querySelectorAll("input:checked")].map((i) => Number(i.value));
    if (ids.length) command("adjusters.choose", { user_ids: ids });
  });
  on("jav-record-form", "submit", (event) => {
    event.preventDefault();
    command("recusal.record", { item_id: state.active_item_id, user_id: Number(event.currentTarget.user_id.value) });
  });
  on("order-form", "submit", (event) => {
    event.preventDefault();
    const numbers = event.currentTarget.order.value.split(/[\s,;]+/).filter(Boolean).map(Number);
    const byNumber = new Map((state.proposals || []).map((p) => [p.number, p.proposal_id]));
    const ids = numbers.map((n) => byNumber.get(n)).filter(Boolean);
    command("proposition_order.set", { item_id: state.active_item_id, proposal_ids: ids });
  });
  on("btn-order-approve", "click", () => command("proposition_order.approve", { item_id: state.active_item_id }));
  const pair = () => {
    const args = { item_id: state.active_item_id, proposal_id: Number($("decide-main").value) };
    const counter = $("decide-counter").value;
    if (counter) args.counter_proposal_id = Number(counter);
    return args;
  };
  on("decide-kind", "change", () => render());
  on("btn-acclamation", "click", () => command("acclamation.put", pair()));
  on("btn-bifall", "click", () => command("acclamation.decide", { item_id: state.active_item_id, outcome: "bifall" }));
  on("btn-avslag", "click", () => command("acclamation.decide", { item_id: state.active_item_id, outcome: "avslag" }));
  on("btn-vote-open", "click", () => {
    const p = pair();
    const kind = $("decide-kind").value;
    if (kind === "proportional") {
      openProportional(p.item_id);
      return;
    }
    if (kind === "election") {
      const candidates = $("election-candidates").value.split("\n").map((n) => n.trim()).filter(Boolean);
      command("vote.open", { item_id: p.item_id, kind, candidates,
        posts: Number($("election-posts").value) || 1 });
      return;
    }
    const args = { item_id: p.item_id, kind, main_proposal_id: p.proposal_id };
    if (p.counter_proposal_id) args.counter_proposal_id = p.counter_proposal_id;
    command("vote.open", args);
  });
  on("btn-vote-close", "click", (event) => {
    const v = state.panel && state.panel.vote;
    if (!v) return;
    const ask = event.currentTarget.dataset.confirm;
    if (ask && !window.confirm(ask)) return;
    const args = { vote_id: v.vote_id };
    if ($("casting-vote").value) args.casting_vote = $("casting-vote").value;
    command("vote.close", args);
  });
  on("decision-form", "submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const args = { item_id: state.active_item_id };
    if (form.proposal_id.value) args.proposal_id = Number(form.proposal_id.value);
    if (form.text.value.trim()) args.text = form.text.value.trim();
    const reply = await command("decision.record", args);
    if (reply.ok) {
      form.text.value = "";
      const path = $("path");
      if (path) path.scrollIntoView({ block: "nearest" });  // the path now offers the next act
    }
  });
}

// For tests and curious people: the socket and state, read-only in spirit.
window.klubba = {
  get state() { return state; },
  get lastSeq() { return lastSeq; },
  get socket() { return socket; },
  get connections() { return snapshots; },
  command,
};

// --- proportional elections (lag 2022:629) -----------------------------------------------------
// The member asks for a proportional election and casts a closed list ballot: a group label and
// names in their order (from a registered list or written by hand), or blank. The form itself is
// static HTML in templates/meetings/_proportional.html, so a re-render never loses what is typed.

let proportionalListsOf = null;  // the vote whose registered lists fill the select

function proportionalVote() {
  const v = state.panel && state.panel.vote;
  return v && v.kind === "proportional" ? v : null;
}

function renderProportional() {
  const box = $("proportional");
  if (!box) return;
  const v = proportionalVote();
  const requests = (state.voting && state.voting.proportional_requests) || [];
  const itemOpen = Boolean(state.active_item_id);
  box.hidden = !v;
  show("proportional-ask", itemOpen);
  fill("proportional-requests", requests.map((r) => h("span", { class: r.reached ? "ok" : "" },
    fmt(T.proportional_requests, { what: r.substitutes ? T.substitutes_election : T.members_election,
      seats: r.seats, n: r.requests, required: r.required }),
    r.reached ? ` ${T.proportional_reached} ` : " ")));
  const open = v && v.state === "open";
  // While any vote is open the meeting is deciding: asking for a proportional election now
  // would only confuse (the request is for the item's coming election).
  const anyVoteOpen = Boolean(state.panel && state.panel.vote && state.panel.vote.state === "open");
  show("proportional-request-form", itemOpen && !anyVoteOpen);
  const mayCast = open && v.me && v.me.eligible && !v.me.voted;
  show("proportional-ballot-form", Boolean(mayCast));
  if (mayCast && proportionalListsOf !== v.vote_id) {
    proportionalListsOf = v.vote_id;
    const select = $("proportional-list");
    for (const option of [...select.options].slice(1)) option.remove();
    (v.lists || []).forEach((list, i) => select.append(h("option", { value: String(i) },
      `${list.label}: ${list.names.join(", ")}`)));
  }
  const r = v && v.state === "closed" ? v.result : null;
  fill("proportional-result", r ? [
    h("ul", { class: "result" }, (r.groups || []).map((g) => h("li", {},
      fmt(T.proportional_group, { label: g.label, votes: g.votes, seats: g.seats })))),
    h("p", {}, fmt(T.blank_invalid, { blank: r.blank, invalid: r.invalid })),
    r.substitutes
      ? h("p", {}, fmt(T.substitutes_elected, { names: (r.substitutes_elected || []).join(", ") }))
      : h("p", {}, fmt(T.elected, { names: (r.elected || []).join(", ") })),
  ] : []);
}

// The secretary opens it: seats, the substitutes' election or not, lists as "label: a, b".
function openProportional(itemId) {
  const lists = $("proportional-open-lists").value.split("\n").map((line) => line.trim())
    .filter(Boolean).map((line) => {
      const at = line.indexOf(":");
      return { label: line.slice(0, at).trim(),
        names: line.slice(at + 1).split(",").map((n) => n.trim()).filter(Boolean) };
    });
  const args = { item_id: itemId, kind: "proportional",
    seats: Number($("proportional-open-seats").value) || 1,
    substitutes: $("proportional-open-substitutes").checked };
  if (lists.length) args.lists = lists;
  command("vote.open", args);
}

function wireProportional() {
  on("proportional-request-form", "submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const reply = await command("election.request_proportional", { item_id: state.active_item_id,
      seats: Number(form.seats.value) || 1, substitutes: form.substitutes.checked });
    if (reply.ok) announce(T.done);
  });
  on("proportional-list", "change", (event) => {
    const v = proportionalVote();
    const list = v && (v.lists || [])[Number(event.currentTarget.value)];
    if (!list || event.currentTarget.value === "") return;
    $("proportional-label").value = list.label;
    $("proportional-names").value = list.names.join("\n");
  });
  on("proportional-ballot-form", "submit", async (event) => {
    event.preventDefault();
    const v = proportionalVote();
    if (!v) return;
    const form = event.currentTarget;
    const choice = form.blank.checked ? null : {
      label: form.label.value.trim(),
      names: form.names.value.split("\n").map((n) => n.trim()).filter(Boolean),
    };
    await castBallot(v, choice);
  });
}

wire();
wireShortcuts();
wireProportional();
render();
connect();
