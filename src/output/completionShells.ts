/** The shells `fedlogin completion` writes a script for (apart from the scripts, for the command's help). */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];
