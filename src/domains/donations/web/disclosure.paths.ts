/** The public disclosure page (no sign-in): wired outside the session guard in src/web/router.tsx. */
export const PUBLIC_DISCLOSURE_PATH = '/disclosure';
