/** What the browser shows once fedlogin has the SAMLResponse (the POST never leaves the machine). */
export const SIGNED_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fedlogin: signed in</title></head>
<body style="font-family: system-ui, sans-serif; margin: 4em auto; max-width: 36em">
<h1>Signed in</h1>
<p>fedlogin has what it needs. You can close this window.</p>
</body></html>`;
