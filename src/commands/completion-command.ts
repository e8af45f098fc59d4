/**
 * `tscompose completion bash|zsh|fish` prints the script a shell sources; the script asks the
 * hidden `__complete` command for candidates. Both read the program's own command tree when they
 * run, so commands registered anywhere are completed. `__complete` builds no Context (no chalk,
 * no signal handlers) and opens no engine: it answers while the user waits at the prompt.
 */
import { Argument } from 'commander';
import type { CommandDefinition } from './command-definition.js';
import { completionScript, SHELLS, type Shell } from './completion/scripts.js';

/** The two commands: `completion SHELL` and the hidden `__complete` its scripts call. */
export const completionDefinition: CommandDefinition = (program, host) => {
  program
    .command('completion')
    .description('print the shell completion script: source <(tscompose completion bash), or zsh, or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action(
      host.action(async (ctx, shell: Shell) => {
        ctx.stdout.write(completionScript(shell, program.name()));
      }),
    );

  program
    .command('__complete', { hidden: true })
    .helpOption(false)
    .allowUnknownOption()
    .argument('<shell>')
    .argument('[words...]')
    .action(async (shell: string, words: string[]) => {
      if (!(SHELLS as readonly string[]).includes(shell)) return;
      const { answer } = await import('./completion/answer.js');
      process.stdout.write(await answer(program, shell as Shell, words, { cwd: process.cwd(), env: process.env }));
    });
};
