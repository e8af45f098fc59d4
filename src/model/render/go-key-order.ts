/**
 * The order in which Go prints map keys, which `config` output follows:
 * - encoding/json sorts keys byte-wise;
 * - yaml.v3 sorts them "naturally": runs of digits compare as numbers (`9` before `10`,
 *   `file_9` before `file_10`), and at the first difference a letter sorts after a digit that
 *   continues a number but before other characters.
 */

export type KeyCompare = (a: string, b: string) => number;

export const jsonKeyCompare: KeyCompare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const isDigit = (char: string): boolean => /\p{Nd}/u.test(char);
const isLetter = (char: string): boolean => /\p{L}/u.test(char);

/** yaml.v3's keyList.Less for string keys, as a comparator. */
export const yamlKeyCompare: KeyCompare = (a, b) => {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
};

function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const aLetter = isLetter(ar[i]);
    const bLetter = isLetter(br[i]);
    if (aLetter && bLetter) return ar[i] < br[i];
    if (aLetter || bLetter) return digits ? aLetter : bLetter;
    let aNumber = 0;
    let bNumber = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          aNumber = 1;
          bNumber = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) aNumber = aNumber * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bNumber = bNumber * 10 + Number(br[bi]);
    if (aNumber !== bNumber) return aNumber < bNumber;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}
