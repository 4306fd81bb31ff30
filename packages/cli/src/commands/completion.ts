/**
 * `funes completion [bash|zsh]`
 */
import { basename } from 'node:path';
import { defineCommand } from '../command.js';
import { completionScript, SHELLS, type Shell } from '../completion.js';

/** `funes completion`: see docs/cli.md#shell-completion. */
export const completionCommand = defineCommand({
  command: 'completion [shell]',
  describe: 'Print the shell completion script: funes completion >> ~/.bashrc',
  builder: (yargs) =>
    yargs
      .positional('shell', {
        choices: SHELLS,
        describe: 'The shell to complete in',
        defaultDescription: 'zsh when $SHELL is zsh, else bash',
      })
      .example('$0 completion >> ~/.bashrc', 'Tab completes commands, options, their values and function names')
      .example('npx funes completion zsh >> ~/.zshrc', 'the same for zsh; it completes `npx funes …` as well'),
  async run(context, args) {
    const shell: Shell = args.shell ?? (basename(context.env.SHELL ?? '') === 'zsh' ? 'zsh' : 'bash');
    await context.out.write(completionScript(shell));
  },
});
