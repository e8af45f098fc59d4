/**
 * `tscompose completion bash|zsh|fish` prints the script a shell sources; the script asks the
 * hidden `__complete` command for candidates. Both read the program's own command tree when they
 * run, so commands registered anywhere are completed. `__complete` builds no Context and opens no
 * engine: it answers while the user waits at the prompt.
 */
import { Argument, type Command } from 'commander';
import { completionScript, SHELLS, type Shell } from './completion/scripts.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print the shell completion script: source <(tscompose completion bash), or zsh, or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, program.name()));
    });

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
}
