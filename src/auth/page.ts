function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page the browser shows after the sign-in redirect; nothing on it is secret. */
export function callbackPage(o: { ok: boolean; title: string; detail: string }): string {
  const colour = o.ok ? '#0a7d38' : '#b00020';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>slides: ${escapeHtml(o.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 5rem auto; padding: 0 1rem; color: #222">
<h1 style="color: ${colour}; font-size: 1.5rem">${escapeHtml(o.title)}</h1>
<p>${escapeHtml(o.detail)}</p>
</body>
</html>
`;
}
