// The demo page's script (served by ./authfn start-api at /app.js; the page's Content-Security-Policy
// allows no inline script). Plain browser JavaScript, no build step.
'use strict';

const CSRF_COOKIE = '__Host-csrf';
const SECRET_FIELDS = new Set(['access_token', 'csrf_token', 'mfa_token', 'secret', 'otpauth_uri']);

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
  if (key === 'recovery_codes' && Array.isArray(value)) {
    return value.length + ' codes, listed under Second factor';
  }
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
  showAccountState();
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
  return { status: response.status, statusText: response.statusText, json, headers: response.headers };
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

$('protected').addEventListener('click', () => call('GET', '/protected'));

$('step-up').addEventListener('click', () => call('GET', '/protected/step-up'));

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
    say('login-message', 'idle', '');
    say('change-password-message', 'idle', '');
  }
});

// ---- Accounts: log in, sign up, verify, resend, forgot, reset and change password (docs/API.md §12) ----

/** The problem types the page tells apart (RFC 9457 "type" members). */
const PROBLEM = {
  invalidCredentials: 'urn:authfn:problem:invalid-credentials',
  emailNotVerified: 'urn:authfn:problem:email-not-verified',
  usernameTaken: 'urn:authfn:problem:username-taken',
  weakPassword: 'urn:authfn:problem:weak-password',
  invalidToken: 'urn:authfn:problem:invalid-token',
  accountLocked: 'urn:authfn:problem:account-locked',
  mfaFailed: 'urn:authfn:problem:mfa-failed',
  mfaRequired: 'urn:authfn:problem:mfa-required',
  stepUpRequired: 'urn:authfn:problem:step-up-required',
  mfaAlreadyEnrolled: 'urn:authfn:problem:mfa-already-enrolled',
  mfaNotEnrolled: 'urn:authfn:problem:mfa-not-enrolled',
  passkeyFailed: 'urn:authfn:problem:passkey-failed',
  passkeyRejected: 'urn:authfn:problem:passkey-rejected',
  passkeyLimit: 'urn:authfn:problem:passkey-limit',
  notFound: 'urn:authfn:problem:not-found',
};

/** A mail link's token, in the fragment: the browser never sends a fragment to the server. */
const TOKEN_FRAGMENT = /^#(verify|reset)=([A-Za-z0-9._~-]+)$/;

/** The reset token of the link this page was opened with; kept in memory only, never in the DOM or the URL. */
let resetToken = null;

/** The mfa_token of a login waiting for its second step; in memory only, like the reset token. */
let mfaToken = null;

/** Shows an outcome in words: state is idle, pending, ok or failed. */
function say(id, state, text) {
  const message = $(id);
  message.textContent = text;
  message.dataset.state = state;
  message.className = 'message ' + state;
}

function problemType(answer) {
  return answer !== null && answer.json !== null && typeof answer.json.type === 'string' ? answer.json.type : null;
}

/** What went wrong, for answers the page has no words of its own for. */
function failure(answer) {
  if (answer === null) {
    return 'The request failed; is the local API running?';
  }
  if (answer.json !== null && typeof answer.json.detail === 'string') {
    return answer.json.detail;
  }
  if (answer.json !== null && typeof answer.json.message === 'string') {
    return answer.status + ' ' + answer.json.message;
  }
  return answer.status + ' ' + answer.statusText;
}

/** Why the password rules refused a new password (WEAK_PASSWORD's reason, min_length and max_length). */
function weakPassword(problem) {
  switch (problem.reason) {
    case 'too_short':
      return 'The password is too short: use at least ' + problem.min_length + ' characters.';
    case 'too_long':
      return 'The password is too long: use at most ' + problem.max_length + ' characters.';
    case 'breached':
      return 'This password appears in a list of breached or common passwords; choose another.';
    case 'not_unicode':
      return 'The password is not valid Unicode text.';
    default:
      return String(problem.detail);
  }
}

function retryAfter(answer) {
  const seconds = answer.headers.get('Retry-After');
  return seconds === null ? 'later' : 'in ' + seconds + ' seconds';
}

/** What a refused new password (sign-up, reset, change) means, or null for another refusal. */
function passwordRefusal(answer) {
  return problemType(answer) === PROBLEM.weakPassword ? weakPassword(answer.json) : null;
}

/**
 * Change password and the second factor are for a logged-in page: the CSRF cookie is there exactly
 * while a session cookie is. A page that is no longer logged in forgets what they showed.
 */
function showAccountState() {
  const loggedIn = readCookie(CSRF_COOKIE) !== null;
  $('change-password-section').hidden = !loggedIn;
  $('mfa-section').hidden = !loggedIn;
  $('passkeys-section').hidden = !loggedIn;
  if (!loggedIn) {
    forgetSecondFactor();
    forgetPasskeys();
  }
}

/**
 * Clears what the second-factor parts showed for one login: a secret waiting to be confirmed and
 * its QR code, the recovery codes (shown once), typed codes and messages. Done when the page stops
 * being logged in and when a new login starts, so that whoever uses this browser next sees none of it.
 */
function forgetSecondFactor() {
  $('mfa-enrolment').hidden = true;
  $('mfa-secret').textContent = '';
  $('mfa-qr').replaceChildren();
  $('mfa-recovery').hidden = true;
  $('mfa-recovery-codes').replaceChildren();
  $('mfa-remove-form').hidden = false;
  for (const id of ['mfa-confirm-code', 'mfa-remove-code', 'mfa-remove-recovery-code', 'change-password-code']) {
    $(id).value = '';
  }
  $('change-password-code-label').hidden = true;
  say('mfa-message', 'idle', '');
}

function takeValue(id) {
  const input = $(id);
  const value = input.value;
  input.value = '';
  return value;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  say('login-message', 'pending', 'Logging in…');
  const answer = await call('POST', '/auth/login', { username: $('username').value, password: takeValue('password') });
  $('login-resend-form').hidden = true;
  $('mfa-form').hidden = true;
  mfaToken = null;
  if (answer !== null && answer.status === 200 && answer.json !== null && answer.json.mfa_required === true) {
    mfaToken = String(answer.json.mfa_token);
    $('mfa-form').hidden = false;
    say('login-message', 'pending', 'Password accepted. Now the code from your authenticator app.');
    $('mfa-code').focus();
  } else if (answer !== null && answer.status === 200) {
    forgetSecondFactor();
    forgetPasskeys();
    placeholder($('session-list'), 'Press GET /auth/sessions.');
    say('login-message', 'ok', 'Logged in.');
  } else if (problemType(answer) === PROBLEM.emailNotVerified) {
    say('login-message', 'failed', 'This account’s email address is not verified yet. Open the link in the '
        + 'verification mail, or have it sent again.');
    $('login-resend-form').hidden = false;
  } else if (problemType(answer) === PROBLEM.invalidCredentials) {
    say('login-message', 'failed', 'Wrong user name or password.');
  } else if (problemType(answer) === PROBLEM.accountLocked) {
    say('login-message', 'failed', 'Too many failed logins; try again ' + retryAfter(answer) + '.');
  } else {
    say('login-message', 'failed', failure(answer));
  }
});

/** A code or a recovery code from two inputs, as the members the API takes; null when neither or both are filled in. */
function secondFactor(codeId, recoveryId) {
  const code = takeValue(codeId).trim();
  const recovery = takeValue(recoveryId).trim();
  if ((code === '') === (recovery === '')) {
    return null;
  }
  return code !== '' ? { code } : { recovery_code: recovery };
}

$('mfa-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const proof = secondFactor('mfa-code', 'mfa-recovery-code');
  if (proof === null || mfaToken === null) {
    say('login-message', 'failed', 'Type a code or a recovery code, one of them.');
    return;
  }
  say('login-message', 'pending', 'Checking the code…');
  const answer = await call('POST', '/auth/mfa/verify', { mfa_token: mfaToken, ...proof });
  if (answer !== null && answer.status === 200) {
    mfaToken = null;
    $('mfa-form').hidden = true;
    forgetSecondFactor();
    forgetPasskeys();
    placeholder($('session-list'), 'Press GET /auth/sessions.');
    say('login-message', 'ok', 'Logged in with a second factor.');
  } else if (problemType(answer) === PROBLEM.mfaFailed) {
    say('login-message', 'failed', 'That code is wrong or used, or the login took too long; try the next code, '
        + 'or log in again.');
  } else if (problemType(answer) === PROBLEM.accountLocked) {
    say('login-message', 'failed', 'Too many failed attempts; try again ' + retryAfter(answer) + '.');
  } else {
    say('login-message', 'failed', failure(answer));
  }
});

/** Draws the otpauth URI as a QR code: the local API makes the SVG (POST /demo/qr); no other service sees it. */
async function drawQr(uri) {
  const target = $('mfa-qr');
  target.replaceChildren();
  const response = await fetch('/demo/qr', { method: 'POST', body: uri, cache: 'no-store' });
  if (!response.ok) {
    target.textContent = '(no QR code: ' + response.status + ')';
    return;
  }
  const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml').documentElement;
  if (svg.nodeName === 'svg') {
    target.append(document.importNode(svg, true));
  }
}

/** The step-up answer (401 with an RFC 9470 challenge) in words. */
function needsRecentLogin(answer) {
  return problemType(answer) === PROBLEM.stepUpRequired
      ? 'This needs a recent login: log out, log in again, and try within 5 minutes.' : null;
}

$('mfa-enrol').addEventListener('click', async () => {
  say('mfa-message', 'pending', 'Making a secret…');
  $('mfa-recovery').hidden = true;
  const answer = await call('POST', '/auth/mfa/totp');
  if (answer !== null && answer.status === 200) {
    $('mfa-secret').textContent = String(answer.json.secret);
    $('mfa-enrolment').hidden = false;
    // A secret to confirm means there is no confirmed factor, so nothing to remove.
    $('mfa-remove-form').hidden = true;
    await drawQr(String(answer.json.otpauth_uri));
    say('mfa-message', 'pending', 'Add it to your app, then confirm with the code the app shows.');
    $('mfa-confirm-code').focus();
  } else if (problemType(answer) === PROBLEM.mfaAlreadyEnrolled) {
    $('mfa-remove-form').hidden = false;
    say('mfa-message', 'failed', 'This account has a second factor already; remove it first to add another.');
  } else {
    say('mfa-message', 'failed', needsRecentLogin(answer) ?? failure(answer));
  }
});

$('mfa-confirm-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  say('mfa-message', 'pending', 'Confirming…');
  const answer = await call('POST', '/auth/mfa/totp/confirm', { code: takeValue('mfa-confirm-code').trim() });
  if (answer !== null && answer.status === 200 && Array.isArray(answer.json.recovery_codes)) {
    $('mfa-enrolment').hidden = true;
    $('mfa-secret').textContent = '';
    $('mfa-qr').replaceChildren();
    const list = $('mfa-recovery-codes');
    list.replaceChildren(...answer.json.recovery_codes.map((code) => {
      const item = document.createElement('li');
      item.textContent = String(code);
      return item;
    }));
    $('mfa-recovery').hidden = false;
    $('mfa-remove-form').hidden = false;
    say('mfa-message', 'ok', 'The second factor is on. From the next login on, it asks for a code.');
  } else if (problemType(answer) === PROBLEM.mfaFailed) {
    say('mfa-message', 'failed', 'That code is not right; check the app’s clock and try the next code.');
  } else {
    say('mfa-message', 'failed', failure(answer));
  }
});

$('mfa-remove-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const proof = secondFactor('mfa-remove-code', 'mfa-remove-recovery-code');
  if (proof === null) {
    say('mfa-message', 'failed', 'Type a current code or a recovery code, one of them.');
    return;
  }
  say('mfa-message', 'pending', 'Removing…');
  const answer = await call('DELETE', '/auth/mfa/totp', proof);
  if (answer !== null && answer.status === 204) {
    $('mfa-recovery').hidden = true;
    say('mfa-message', 'ok', 'The second factor is removed. Your other sessions have ended; this one goes on '
        + 'with a new session cookie.');
  } else if (problemType(answer) === PROBLEM.mfaNotEnrolled) {
    say('mfa-message', 'failed', 'This account has no second factor.');
  } else if (problemType(answer) === PROBLEM.mfaFailed) {
    say('mfa-message', 'failed', 'That code is wrong or used.');
  } else if (problemType(answer) === PROBLEM.accountLocked) {
    say('mfa-message', 'failed', 'Too many failed attempts; try again ' + retryAfter(answer) + '.');
  } else {
    say('mfa-message', 'failed', needsRecentLogin(answer) ?? failure(answer));
  }
});

// ---- Passkeys (WebAuthn, docs/API.md §17): add, list and remove them, and sign in with one ----

/** Clears the passkeys section: the list and its message are the logged-in user's. */
function forgetPasskeys() {
  placeholder($('passkey-list'), 'Press GET /auth/passkeys.');
  $('passkey-name').value = '';
  say('passkey-message', 'idle', '');
}

/**
 * Whether this browser turns the API's JSON options into WebAuthn's own and back
 * (PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON and toJSON()).
 */
function webAuthnFromJson() {
  return typeof window.PublicKeyCredential === 'function'
      && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
      && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';
}

/** What a rejected navigator.credentials.create()/get() means; the DOMException's name stays in the text. */
function ceremonyFailure(error, rpId) {
  const name = error !== null && typeof error === 'object' && typeof error.name === 'string' ? error.name : 'Error';
  switch (name) {
    case 'NotAllowedError':
      return 'The browser or the authenticator declined (NotAllowedError): cancelled, timed out, or no passkey '
          + 'for this site.';
    case 'InvalidStateError':
      return 'This authenticator holds a passkey of this account already (InvalidStateError).';
    case 'SecurityError':
      return 'The browser refused (SecurityError): this page is not on the passkeys’ site, ' + rpId + '. Open it '
          + 'as ' + location.protocol + '//' + rpId + (location.port === '' ? '' : ':' + location.port) + '/.';
    default:
      return 'The browser refused (' + name + '): ' + String(error.message ?? error);
  }
}

function listPasskeys(passkeys) {
  const list = $('passkey-list');
  list.replaceChildren();
  if (passkeys.length === 0) {
    placeholder(list, 'No passkey yet.');
  }
  for (const passkey of passkeys) {
    const item = document.createElement('li');
    item.dataset.id = String(passkey.id);
    const name = document.createElement('span');
    name.className = 'passkey-name';
    name.textContent = String(passkey.name);
    const meta = document.createElement('span');
    meta.className = 'passkey-meta';
    meta.textContent = 'added ' + passkey.created_at + ' · '
        + (passkey.last_used_at === null ? 'never used' : 'last used ' + passkey.last_used_at)
        + (passkey.backup_eligible ? ' · synced' : ' · this device only')
        + (passkey.flagged ? ' · flagged: its counter went backwards, so it signs no one in' : '');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'passkey-remove';
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => removePasskey(String(passkey.id), String(passkey.name)));
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.className = 'passkey-rename';
    rename.textContent = 'Rename';
    rename.addEventListener('click', () => renamePasskey(String(passkey.id)));
    item.append(name, meta, rename, remove);
    list.append(item);
  }
}

async function refreshPasskeys() {
  const answer = await call('GET', '/auth/passkeys');
  if (answer !== null && answer.status === 200 && answer.json !== null && Array.isArray(answer.json.passkeys)) {
    listPasskeys(answer.json.passkeys);
  }
  return answer;
}

$('passkey-list-refresh').addEventListener('click', refreshPasskeys);

$('passkey-add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!webAuthnFromJson()) {
    say('passkey-message', 'failed', 'This browser cannot make a passkey from JSON options '
        + '(it lacks PublicKeyCredential.parseCreationOptionsFromJSON).');
    return;
  }
  say('passkey-message', 'pending', 'Asking the API for options…');
  const options = await call('POST', '/auth/passkeys/register/options');
  if (options === null || options.status !== 200 || options.json === null) {
    say('passkey-message', 'failed', problemType(options) === PROBLEM.passkeyLimit ? String(options.json.detail)
        : needsRecentLogin(options) ?? failure(options));
    return;
  }
  say('passkey-message', 'pending', 'Waiting for your authenticator…');
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.json),
    });
  } catch (error) {
    say('passkey-message', 'failed', ceremonyFailure(error, String(options.json.rp.id)));
    return;
  }
  const name = $('passkey-name').value.trim();
  const body = name === '' ? { credential: credential.toJSON() } : { credential: credential.toJSON(), name };
  const answer = await call('POST', '/auth/passkeys/register', body);
  if (answer !== null && answer.status === 201) {
    $('passkey-name').value = '';
    await refreshPasskeys();
    say('passkey-message', 'ok', 'The passkey “' + answer.json.name + '” is added. Sign in with it next time: '
        + 'no user name, no password.');
  } else if (problemType(answer) === PROBLEM.passkeyRejected) {
    say('passkey-message', 'failed', 'The API did not accept the new passkey; try again.');
  } else {
    say('passkey-message', 'failed', failure(answer));
  }
});

/** PATCH /auth/passkeys/{id} with the name typed in the name field (the API strips it and allows 64 characters). */
async function renamePasskey(id) {
  const name = $('passkey-name').value.trim();
  if (name === '') {
    say('passkey-message', 'failed', 'Type the new name in the name field above, then press Rename.');
    return;
  }
  say('passkey-message', 'pending', 'Renaming…');
  const answer = await call('PATCH', '/auth/passkeys/' + encodeURIComponent(id), { name: name });
  if (answer !== null && answer.status === 204) {
    $('passkey-name').value = '';
    await refreshPasskeys();
    say('passkey-message', 'ok', 'The passkey is renamed.');
  } else if (problemType(answer) === PROBLEM.notFound) {
    say('passkey-message', 'failed', 'That passkey is gone already.');
  } else {
    say('passkey-message', 'failed', failure(answer));
  }
}

async function removePasskey(id, name) {
  say('passkey-message', 'pending', 'Removing…');
  const answer = await call('DELETE', '/auth/passkeys/' + encodeURIComponent(id));
  if (answer !== null && answer.status === 204) {
    await refreshPasskeys();
    say('passkey-message', 'ok', 'The passkey “' + name + '” is removed; delete it from your authenticator too. '
        + 'Your other sessions have ended; this one goes on with a new session cookie.');
  } else if (problemType(answer) === PROBLEM.notFound) {
    say('passkey-message', 'failed', 'That passkey is gone already.');
  } else {
    say('passkey-message', 'failed', needsRecentLogin(answer) ?? failure(answer));
  }
}

$('passkey-login').addEventListener('click', async () => {
  $('login-resend-form').hidden = true;
  $('mfa-form').hidden = true;
  mfaToken = null;
  if (!webAuthnFromJson()) {
    say('login-message', 'failed', 'This browser cannot sign in with a passkey from JSON options '
        + '(it lacks PublicKeyCredential.parseRequestOptionsFromJSON).');
    return;
  }
  say('login-message', 'pending', 'Asking the API for options…');
  const options = await call('POST', '/auth/passkeys/login/options');
  if (options === null || options.status !== 200 || options.json === null) {
    say('login-message', 'failed', failure(options));
    return;
  }
  say('login-message', 'pending', 'Waiting for your authenticator…');
  let credential;
  try {
    // Username-less: no allowCredentials, the authenticator offers this site's passkeys.
    credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.json),
    });
  } catch (error) {
    say('login-message', 'failed', ceremonyFailure(error, String(options.json.rpId)));
    return;
  }
  const answer = await call('POST', '/auth/passkeys/login', { credential: credential.toJSON() });
  if (answer !== null && answer.status === 200) {
    forgetSecondFactor();
    forgetPasskeys();
    placeholder($('session-list'), 'Press GET /auth/sessions.');
    say('login-message', 'ok', 'Signed in with a passkey.');
  } else if (problemType(answer) === PROBLEM.passkeyFailed) {
    say('login-message', 'failed', 'The passkey was not accepted; try again.');
  } else if (problemType(answer) === PROBLEM.emailNotVerified) {
    say('login-message', 'failed', 'This account’s email address is not verified yet. Open the link in the '
        + 'verification mail first.');
  } else if (problemType(answer) === PROBLEM.accountLocked) {
    say('login-message', 'failed', 'Too many failed logins; try again ' + retryAfter(answer) + '.');
  } else {
    say('login-message', 'failed', failure(answer));
  }
});

/** Asks for the verification mail again; the answer is the same whether or not an account matches. */
async function resend(email, messageId) {
  say(messageId, 'pending', 'Sending…');
  const answer = await call('POST', '/auth/email/resend', { email });
  if (answer !== null && answer.status === 202) {
    say(messageId, 'ok', String(answer.json.detail));
  } else {
    say(messageId, 'failed', failure(answer));
  }
}

$('login-resend-form').addEventListener('submit', (event) => {
  event.preventDefault();
  resend($('login-resend-email').value, 'login-message');
});

$('resend-form').addEventListener('submit', (event) => {
  event.preventDefault();
  resend($('resend-email').value, 'resend-message');
});

$('signup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('signup-username').value;
  const email = $('signup-email').value;
  say('signup-message', 'pending', 'Signing up…');
  const answer = await call('POST', '/auth/register', { username, email, password: takeValue('signup-password') });
  if (answer !== null && (answer.status === 201 || answer.status === 202)) {
    $('username').value = username;
    $('resend-email').value = email;
    $('login-resend-email').value = email;
    say('signup-message', 'ok', answer.json.status === 'verification_required'
        ? 'Account created. Open the link in the mail sent to ' + email + ' to verify the address, then log in.'
        : 'Account created. You can log in now.');
  } else if (problemType(answer) === PROBLEM.usernameTaken) {
    say('signup-message', 'failed', 'That user name is taken; choose another.');
  } else {
    say('signup-message', 'failed', passwordRefusal(answer) ?? failure(answer));
  }
});

$('forgot-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('forgot-username').value.trim();
  const email = $('forgot-email').value.trim();
  if ((username === '') === (email === '')) {
    say('forgot-message', 'failed', 'Fill in your user name or your email address, one of them.');
    return;
  }
  say('forgot-message', 'pending', 'Sending…');
  const answer = await call('POST', '/auth/password/forgot', username !== '' ? { username } : { email });
  if (answer !== null && answer.status === 202) {
    say('forgot-message', 'ok', String(answer.json.detail));
  } else {
    say('forgot-message', 'failed', failure(answer));
  }
});

$('reset-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (resetToken === null) {
    return;
  }
  say('reset-message', 'pending', 'Setting the new password…');
  const answer = await call('POST', '/auth/password/reset', { token: resetToken, new_password: takeValue('reset-password') });
  if (answer !== null && answer.status === 204) {
    resetToken = null;
    $('reset-form').hidden = true;
    listSessions([]);
    say('login-message', 'idle', '');
    say('reset-message', 'ok', 'Your new password is set, and every session of the account has ended. '
        + 'Log in with the new password.');
  } else if (problemType(answer) === PROBLEM.invalidToken) {
    resetToken = null;
    $('reset-form').hidden = true;
    say('reset-message', 'failed', 'This reset link is invalid, used or expired. Ask for a new one under Forgot password.');
  } else {
    say('reset-message', 'failed', passwordRefusal(answer) ?? failure(answer));
  }
});

$('change-password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  say('change-password-message', 'pending', 'Changing the password…');
  const body = { current_password: takeValue('current-password'), new_password: takeValue('new-password') };
  const code = takeValue('change-password-code').trim();
  if (code !== '') {
    body.code = code;
  }
  const answer = await call('POST', '/auth/password/change', body);
  if (problemType(answer) === PROBLEM.mfaRequired) {
    $('change-password-code-label').hidden = false;
    say('change-password-message', 'failed', 'This session did not use your second factor: type the current code '
        + 'with both passwords again.');
    return;
  }
  if (answer !== null && answer.status === 204) {
    $('change-password-code-label').hidden = true;
    say('change-password-message', 'ok', 'Your password is changed. Your other sessions have ended; this one goes on '
        + 'with a new session cookie.');
  } else if (problemType(answer) === PROBLEM.invalidCredentials) {
    say('change-password-message', 'failed', 'The current password is wrong.');
  } else if (problemType(answer) === PROBLEM.accountLocked) {
    say('change-password-message', 'failed', 'Too many wrong passwords; try again ' + retryAfter(answer) + '.');
  } else if (answer !== null && (answer.status === 401 || answer.status === 403)) {
    say('change-password-message', 'failed', 'Your session has ended; log in again.');
  } else {
    say('change-password-message', 'failed', passwordRefusal(answer) ?? failure(answer));
  }
});

async function verify(token) {
  const section = $('verify-section');
  section.scrollIntoView();
  say('verify-message', 'pending', 'Verifying your email address…');
  const answer = await call('POST', '/auth/email/verify', { token });
  if (answer !== null && answer.status === 204) {
    say('verify-message', 'ok', 'Your email address is verified. You can log in now.');
    $('username').focus();
  } else if (problemType(answer) === PROBLEM.invalidToken) {
    say('verify-message', 'failed', 'This verification link is invalid, used or expired. Have a new mail sent below.');
    $('resend-email').focus();
  } else {
    say('verify-message', 'failed', failure(answer));
  }
}

function openReset(token) {
  resetToken = token;
  $('reset-section').hidden = false;
  $('reset-form').hidden = false;
  say('reset-message', 'idle', '');
  $('reset-section').scrollIntoView();
  $('reset-password').focus();
}

/**
 * A mail link opens this page as <page>#verify=<token> or #reset=<token>. The token is taken from
 * the fragment, which is then removed with history.replaceState, so that it stays neither in the
 * address bar nor in the history; it leaves the browser only in a POST body.
 */
function takeFragmentToken() {
  const hash = location.hash;
  if (!hash.startsWith('#verify=') && !hash.startsWith('#reset=')) {
    return;
  }
  history.replaceState(null, '', location.pathname + location.search);
  const match = TOKEN_FRAGMENT.exec(hash);
  if (match === null && hash.startsWith('#verify=')) {
    say('verify-message', 'failed', 'This link is incomplete; copy the whole link from the mail.');
  } else if (match === null) {
    $('reset-section').hidden = false;
    $('reset-form').hidden = true;
    say('reset-message', 'failed', 'This link is incomplete; copy the whole link from the mail.');
  } else if (match[1] === 'verify') {
    verify(match[2]);
  } else {
    openReset(match[2]);
  }
}

// A link opened in a tab that already shows the page only changes the fragment: no new load.
window.addEventListener('hashchange', takeFragmentToken);

showDocumentCookie();
showAccountState();
takeFragmentToken();
