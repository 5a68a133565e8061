const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>
`;
}

/** Shown in the browser once the sign-in reached fedlogin and the credentials are ready. Pure. */
export function successPage(): string {
  return page('Signed in to fedlogin', 'You can close this tab and return to the terminal.');
}

/** Shown in the browser when the sign-in failed; the same line the terminal shows. Pure. */
export function failurePage(message: string): string {
  return page('fedlogin sign-in failed', `${message} Return to the terminal for details.`);
}
