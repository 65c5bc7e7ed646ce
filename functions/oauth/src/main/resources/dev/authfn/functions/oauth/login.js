'use strict';
// The hosted login page of GET /oauth2/authorize (docs/API.md §18.3): it signs in through the
// same-origin routes of the API (a password and maybe a second factor, or a passkey), which set the
// session cookie, then goes back to the authorization request, which now finds the session.
(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');
  let mfaToken = null;

  function say(text) {
    message.textContent = text;
  }

  function busy(on) {
    for (const button of document.querySelectorAll('button')) {
      button.disabled = on;
    }
  }

  function decoded(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch (error) {
      return null;
    }
  }

  /** prompt=login and max_age: what asked for the login that has just happened. */
  function askedForLogin(pair) {
    const equals = pair.indexOf('=');
    const name = decoded(equals >= 0 ? pair.slice(0, equals) : pair);
    return name === 'max_age' || (name === 'prompt' && equals >= 0 && decoded(pair.slice(equals + 1)) === 'login');
  }

  /**
   * The same authorization request, every other parameter as sent, without prompt=login and max_age: the
   * login they asked for has happened (kept, a slow round trip could find max_age passed again and loop).
   * Relative, so that an API under a base path (an issuer with a path) resumes under it.
   */
  function resume() {
    const kept = location.search.slice(1).split('&').filter((pair) => pair !== '' && !askedForLogin(pair));
    location.replace('authorize' + (kept.length === 0 ? '' : '?' + kept.join('&')));
  }

  /** POSTs JSON (or nothing) to a route of this origin; the answer's status and JSON body (null when none). */
  async function post(path, body) {
    const init = { method: 'POST', credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      return { ok: false, status: 0, json: null };
    }
    let json = null;
    try {
      json = await response.json();
    } catch (error) {
      // no JSON body
    }
    return { ok: response.ok, status: response.status, json };
  }

  /** What went wrong: the problem document's detail, else a sentence of our own. */
  function failure(answer) {
    if (answer.json !== null && typeof answer.json === 'object' && typeof answer.json.detail === 'string') {
      return answer.json.detail;
    }
    return answer.status === 0 ? 'The server could not be reached; try again.' : 'That did not work; try again.';
  }

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = $('username').value;
    const field = $('password');
    const password = field.value;
    field.value = '';
    busy(true);
    say('Signing in…');
    const answer = await post('../auth/login', { username, password });
    busy(false);
    if (answer.ok && answer.json !== null && answer.json.mfa_required === true) {
      mfaToken = String(answer.json.mfa_token);
      $('password-form').hidden = true;
      $('code-form').hidden = false;
      say('Password accepted. Now the code from your authenticator app, or a recovery code.');
      $('code').focus();
    } else if (answer.ok) {
      say('Signed in.');
      resume();
    } else {
      say(failure(answer));
    }
  });

  $('code-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = $('code');
    const code = field.value.trim();
    field.value = '';
    if (code === '' || mfaToken === null) {
      say('Type the code.');
      return;
    }
    busy(true);
    say('Checking the code…');
    const proof = /^[0-9]{6}$/.test(code) ? { code } : { recovery_code: code };
    const answer = await post('../auth/mfa/verify', { mfa_token: mfaToken, ...proof });
    busy(false);
    if (answer.ok) {
      mfaToken = null;
      say('Signed in.');
      resume();
    } else {
      say(failure(answer));
      field.focus();
    }
  });

  const passkey = $('passkey');
  if (typeof window.PublicKeyCredential === 'function'
      && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
    passkey.hidden = false;
    passkey.addEventListener('click', async () => {
      busy(true);
      say('Asking for a challenge…');
      const options = await post('../auth/passkeys/login/options');
      if (!options.ok || options.json === null) {
        busy(false);
        say(failure(options));
        return;
      }
      say('Waiting for your authenticator…');
      let credential;
      try {
        // Username-less: no allowCredentials, the authenticator offers this site's passkeys.
        credential = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.json),
        });
      } catch (error) {
        busy(false);
        say('The browser or the authenticator declined: cancelled, timed out, or no passkey for this site.');
        return;
      }
      const answer = await post('../auth/passkeys/login', { credential: credential.toJSON() });
      busy(false);
      if (answer.ok) {
        say('Signed in.');
        resume();
      } else {
        say(failure(answer));
      }
    });
  }

  $('username').focus();
})();
