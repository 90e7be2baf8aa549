/**
 * Icons of the collaboration controls, drawn like ui/Icon.tsx (24-unit stroke paths), so they do
 * not depend on an emoji font being installed.
 */
const PATHS = {
  hand: 'M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4a1.5 1.5 0 0 1 3 0v7M14 10V5.5a1.5 1.5 0 0 1 3 0V13M17 8.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1a6 6 0 0 1-5.2-3L5 13.5a1.5 1.5 0 0 1 2.6-1.5L8 13',
  react: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 14a4.5 4.5 0 0 0 8 0M9 9.5h.01M15 9.5h.01',
  host: 'M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0M16 4l2-2M18 7h3',
  polls: 'M5 20V10M12 20V4M19 20v-7',
  qna: 'M4 4h16v12H9l-5 4zM9.5 8.5a2.5 2.5 0 1 1 3 2.4V12M12 14h.01',
  breakouts: 'M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM14 14h7v7h-7z',
} as const;

export type CollabIconName = keyof typeof PATHS;

export function CollabIcon({ name, size = 20 }: { readonly name: CollabIconName; readonly size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
