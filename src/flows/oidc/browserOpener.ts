/**
 * Whether a graphical browser can be opened at all: on Linux and the BSDs only with a display
 * (X11 or Wayland); an ssh session or a container has none, and the device flow is the way there.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Opens the URL in the system browser with the `open` package, without waiting for it. Resolves
 * false when no browser could be started (the URL is on the terminal anyway).
 */
export async function openInSystemBrowser(url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    return await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      // `open` spawns a launcher that returns at once; a launcher that failed to spawn errors now
      setTimeout(() => resolve(true), 50).unref();
    });
  } catch {
    return false;
  }
}
