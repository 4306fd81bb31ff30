/**
 * What yargs lays out help text with (cliui and string-width), loaded before help is
 * shown. Their modules cost a run more than everything else it loads (string-width's
 * Unicode property patterns are compiled as its source is parsed), yet only help
 * uses them. In the bundle (build-bundle.mjs) yargs gets stand-ins for both, and this
 * module is replaced by one that loads the real ones; built by tsc, yargs has loaded
 * them itself and there is nothing to do.
 */
export async function loadHelpLayout(): Promise<void> {}
