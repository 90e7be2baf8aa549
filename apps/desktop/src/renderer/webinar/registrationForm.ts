/**
 * A new question's id: `q1`, `q2`… the first one not taken (the server wants ids distinct, of
 * lower-case letters, digits and dashes; registrants' answers are stored by them, so a question
 * keeps its id when its label changes).
 */
export function questionId(taken: readonly string[]): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`q${n}`)) n++;
  return `q${n}`;
}
