/** The Red Cross emblem on white, drawn here so that the app needs no image request. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" role="img" aria-hidden="true" focusable="false">
      <rect x="0" y="0" width="32" height="32" rx="6" fill="#ffffff" />
      <path d="M12 5h8v7h7v8h-7v7h-8v-7H5v-8h7z" fill="#e1251b" />
    </svg>
  );
}
