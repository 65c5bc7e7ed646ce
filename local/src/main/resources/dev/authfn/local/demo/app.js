// The demo page's script (served by ./authfn start-api at /app.js; the page's Content-Security-Policy
// allows no inline script). Plain browser JavaScript, no build step.
'use strict';

const CSRF_COOKIE = '__Host-csrf';
const SECRET_FIELDS = new Set(['access_token', 'csrf_token']);

const $ = (id) => document.getElementById(id);

/** A cookie this script can read (the session cookie is HttpOnly, so never that one). */
function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return null;
}

/** Shows tokens shortened: the page is for looking at, and screenshots get shared. */
function redact(key, value) {
  return SECRET_FIELDS.has(key) && typeof value === 'string' ? value.slice(0, 12) + '…' : value;
}

/** Shows the names of the cookies this script can read, values shortened. */
function showDocumentCookie() {
  const cookies = document.cookie.split(';').map((part) => part.trim()).filter((part) => part !== '')
      .map((part) => (part.length > 32 ? part.slice(0, 32) + '…' : part));
  $('document-cookie').textContent = cookies.length === 0 ? '(nothing)' : cookies.join('; ');
}

function show(request, status, statusText, body) {
  const result = $('result');
  $('request').textContent = request;
  $('status').textContent = status === null ? statusText : status + ' ' + statusText;
  $('status').className = status !== null && status >= 200 && status < 300 ? 'ok' : 'failed';
  result.textContent = body;
  result.dataset.request = request;
  result.dataset.status = status === null ? 'failed' : String(status);
  result.dataset.done = String(Number(result.dataset.done) + 1);
  showDocumentCookie();
}

/**
 * Calls the API on this page's origin with the session cookie; unsafe methods send the CSRF cookie's
 * value in X-CSRF-Token (the double submit). Shows the status and the JSON answer.
 */
async function call(method, path, body) {
  const request = method + ' ' + path;
  const headers = {};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf !== null) {
      headers['X-CSRF-Token'] = csrf;
    }
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    show(request, null, 'request failed: ' + error, '');
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch (error) {
    // not JSON: shown as text below
  }
  show(request, response.status, response.statusText,
      json === null ? (text === '' ? '(no body)' : text) : JSON.stringify(json, redact, 2));
  return { status: response.status, json };
}

function placeholder(list, text) {
  const empty = document.createElement('li');
  empty.className = 'empty';
  empty.textContent = text;
  list.replaceChildren(empty);
}

function listSessions(sessions) {
  const list = $('session-list');
  list.replaceChildren();
  if (sessions.length === 0) {
    placeholder(list, 'No live session.');
  }
  for (const session of sessions) {
    const item = document.createElement('li');
    const agent = String(session.user_agent ?? '');
    item.textContent = session.id + ' · since ' + session.created_at + ' · from ' + session.source_ip + ' · '
        + (agent.length > 48 ? agent.slice(0, 48) + '…' : agent) + (session.current ? ' (this one)' : '');
    item.className = session.current ? 'current' : '';
    list.append(item);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = $('password');
  const answer = await call('POST', '/auth/login', { username: $('username').value, password: password.value });
  password.value = '';
  if (answer !== null && answer.status === 200) {
    placeholder($('session-list'), 'Press GET /auth/sessions.');
  }
});

$('protected').addEventListener('click', () => call('GET', '/protected'));

$('create-post').addEventListener('click', () => call('POST', '/posts', { title: 'Hello from the demo page' }));

$('sessions').addEventListener('click', async () => {
  const answer = await call('GET', '/auth/sessions');
  if (answer !== null && answer.status === 200 && answer.json !== null && Array.isArray(answer.json.sessions)) {
    listSessions(answer.json.sessions);
  }
});

$('logout').addEventListener('click', async () => {
  const answer = await call('POST', '/auth/logout');
  if (answer !== null && answer.status === 204) {
    listSessions([]);
  }
});

showDocumentCookie();
