/**
 * Everything wrong with a command's images, in one error so the user fixes it in one go. Its own
 * module: deciding about images must not load the build machinery just to name this class.
 */
import { TscomposeError } from '../errors.js';

export class ImageError extends TscomposeError {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems with images:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
