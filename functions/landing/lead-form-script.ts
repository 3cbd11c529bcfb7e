/**
 * The landing page's only script (served at LEAD_FORM_SCRIPT, same origin, allowed by the
 * page's CSP): posts the lead form with fetch and shows the answer in place, so the visitor
 * keeps the page. Without it the form posts normally and the server answers with a page.
 * Field errors are shown next to their fields and announced (aria-invalid, role=status).
 */
export const LEAD_FORM_JS = `(() => {
  for (const form of document.querySelectorAll('form.ck-lead-form')) {
    const status = form.querySelector('.ck-form-status');
    const say = (text) => { if (status) status.textContent = text; };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type=submit]');
      for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
      if (button) button.disabled = true;
      say('Sending…');
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(new FormData(form)),
        });
        const body = await response.json().catch(() => ({}));
        if (response.ok) {
          form.replaceChildren();
          const done = document.createElement('p');
          done.className = 'ck-form-done';
          done.setAttribute('role', 'status');
          done.textContent = body.message || 'Thank you!';
          form.append(done);
          return;
        }
        const errors = Array.isArray(body.errors) ? body.errors : [];
        for (const error of errors) {
          const name = String(error.path || '').replace(/^body\\./, '');
          const field = form.elements.namedItem(name);
          if (field && field.setAttribute) field.setAttribute('aria-invalid', 'true');
        }
        const details = errors.map((e) => String(e.path || '').replace(/^body\\./, '').replace(/_/g, ' ') + ' ' + e.message);
        say([body.detail || 'Something went wrong; please try again.', ...details].join(' — '));
      } catch {
        say('Could not send the form; check your connection and try again.');
      } finally {
        if (button) button.disabled = false;
      }
    });
  }
})();
`;
