/**
 * Each author draws in their own colour, the same on every screen, so people can tell who drew
 * what without hovering. Derived from the LiveKit identity, so nothing has to be agreed on.
 */
const PALETTE = ['#ff5d5d', '#ffb020', '#3dd68c', '#4cc9f0', '#b388ff', '#ff7ac6', '#f9f871', '#7cf29c'] as const;

export function authorColor(identity: string): string {
  let h = 0;
  for (let i = 0; i < identity.length; i++) h = (Math.imul(h, 31) + identity.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? PALETTE[0];
}
