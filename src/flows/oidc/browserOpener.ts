/**
 * Whether a graphical browser can be opened at all: on Linux and the BSDs only with a display
 * (X11 or Wayland); an ssh session or a container has none, and the device flow is the way there.
 * Opening one is src/core/browser.ts.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
